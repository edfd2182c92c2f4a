package io.skyforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/openapi.yaml is the served description, checked in. After an intended API change, refresh it
 * with {@code ./mvnw -pl skyforge-server -am verify -Dit.test=OpenApiIT -Dskyforge.writeOpenApi=true}.
 */
class OpenApiIT {

    private static final Path CHECKED_IN = Path.of("..", "docs", "openapi.yaml");

    @TempDir
    Path dataDir;

    @Test
    void shouldServeExactlyTheCheckedInOpenApiDescription() throws Exception {
        try (SkyforgeServer s = SkyforgeServer.start(new ServerSettings(0, "127.0.0.1", dataDir, null, null))) {
            Http http = new Http(s.url(), Files.readString(s.adminTokenFile()).strip());
            Http.Response served = http.get("/v3/api-docs.yaml");
            assertThat(served.status()).isEqualTo(200);
            if (Boolean.getBoolean("skyforge.writeOpenApi")) {
                Files.writeString(CHECKED_IN, served.body());
            }
            assertThat(served.body()).contains("/apis/{group}/{version}/namespaces/{namespace}/{plural}");
            assertThat(served.body())
                    .as("docs/openapi.yaml is stale; regenerate it as this test's javadoc says")
                    .isEqualTo(Files.readString(CHECKED_IN));
        }
    }
}
