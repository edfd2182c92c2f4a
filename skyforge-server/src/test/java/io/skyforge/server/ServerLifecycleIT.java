package io.skyforge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What survives a restart, and what `server --config` does at start. */
class ServerLifecycleIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepResourcesAndTheAdminTokenAcrossARestart() throws Exception {
        String token;
        try (SkyforgeServer s = SkyforgeServer.start(new ServerSettings(0, "127.0.0.1", dataDir, null, null))) {
            token = Files.readString(s.adminTokenFile()).strip();
            Http http = new Http(s.url(), token);
            assertThat(http.post("/apis/data.mcp/v1/namespaces/team-a/datasets", "apiVersion: data.mcp/v1\nkind: Dataset\n"
                    + "metadata: {name: kept}\nspec: {tables: [{name: t, rows: 1, columns: [{name: id, type: bigint,"
                    + " generator: sequence}]}]}\n", "application/yaml").status()).isEqualTo(201);
        }
        try (SkyforgeServer s = SkyforgeServer.start(new ServerSettings(0, "127.0.0.1", dataDir, null, null))) {
            assertThat(Files.readString(s.adminTokenFile()).strip()).isEqualTo(token);
            Http.Response r = new Http(s.url(), token).get("/apis/data.mcp/v1/namespaces/team-a/datasets/kept");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().path("metadata").path("generation").asLong()).isEqualTo(1);
        }
    }

    @Test
    void shouldApplyTheConfigFilesStorageProvidersAndResourcesAtStart() throws Exception {
        Path config = dataDir.resolve("skyforge.yaml");
        Files.writeString(config, """
                storage_providers:
                  - name: local_disk
                    type: filesystem
                    root: /tmp/skyforge-local
                    labels: {jurisdiction: eu}
                resources:
                  - {"resource_id": "lb-cfg", "type": "LogicalBucket", "providers": [{"cloud": "local_disk", "physical_id": "b1"}]}
                """);
        try (SkyforgeServer s = SkyforgeServer.start(new ServerSettings(0, "127.0.0.1", dataDir.resolve("d"), null, config))) {
            Http http = new Http(s.url(), Files.readString(s.adminTokenFile()).strip());
            Http.Response cloud = http.get("/apis/core.mcp/v1/clouds/local_disk");
            assertThat(cloud.status()).isEqualTo(200);
            assertThat(cloud.json().path("metadata").path("labels").path("jurisdiction").asString()).isEqualTo("eu");
            assertThat(http.get("/apis/storage.mcp/v1/namespaces/default/logicalbuckets/lb-cfg").status()).isEqualTo(200);
        }
    }

    @Test
    void shouldRefuseToStartWhenTheConfigNeedsAnUnsetVariable() throws Exception {
        Path config = dataDir.resolve("skyforge.yaml");
        Files.writeString(config, "storage_providers:\n  - name: a\n    type: s3\n    access_key: ${SKYFORGE_TEST_UNSET_VAR_42}\n");
        Path dir = dataDir.resolve("never");
        assertThatThrownBy(() -> SkyforgeServer.start(new ServerSettings(0, "127.0.0.1", dir, null, config)))
                .isInstanceOf(SkyforgeException.class)
                .hasMessageContaining("SKYFORGE_TEST_UNSET_VAR_42")
                .satisfies(e -> assertThat(((SkyforgeException) e).code()).isEqualTo(ErrorCode.MISSING_VARIABLE));
        assertThat(dir).doesNotExist();
    }
}
