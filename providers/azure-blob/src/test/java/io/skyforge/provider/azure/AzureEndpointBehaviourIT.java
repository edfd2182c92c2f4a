package io.skyforge.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ObjectInfo;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStores;
import io.skyforge.spi.storage.PutOptions;
import io.skyforge.spi.storage.StoreHealth;
import io.skyforge.testkit.storage.AzuriteServer;
import io.skyforge.testkit.storage.GeneratedInputStream;
import io.skyforge.testkit.storage.RequiredServices;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the Azure adapter must get right beyond the kit: credentials, outages, the stored digest. */
class AzureEndpointBehaviourIT {

    static AzuriteServer azurite;
    static ObjectStore store;

    @BeforeAll
    static void start() {
        azurite = RequiredServices.start("Azurite", AzuriteServer::start);
        store = ObjectStores.open(AzureTestConfigs.azurite(azurite).build());
        store.createBucket("behaviour");
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
        if (azurite != null) {
            azurite.close();
        }
    }

    @Test
    void shouldReportWrongKeyAsAccessDeniedWithoutPrintingIt() {
        String wrongKey = Base64.getEncoder().encodeToString("definitely-not-the-key-0123456789".getBytes());
        try (ObjectStore bad = ObjectStores.open(AzureTestConfigs.azurite(azurite).accountKey(wrongKey).option("max_attempts", "1").build())) {
            StoreHealth health = bad.probe();
            assertThat(health.up()).isFalse();
            assertThat(health.error()).isEqualTo(ErrorCode.ACCESS_DENIED);
            assertThat(health.message()).doesNotContain(wrongKey);
            assertThatThrownBy(() -> bad.put("behaviour", "k", new ByteArrayInputStream(new byte[1]), PutOptions.DEFAULT))
                    .isInstanceOfSatisfying(SkyforgeException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
                        assertThat(e.getMessage()).doesNotContain(wrongKey);
                    });
        }
    }

    @Test
    void shouldReportUnreachableEndpointAsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (ObjectStore down = ObjectStores.open(AzureTestConfigs.azurite(azurite)
                .endpoint("http://127.0.0.1:" + port + "/" + AzuriteServer.ACCOUNT_NAME).option("max_attempts", "1").build())) {
            StoreHealth health = down.probe();
            assertThat(health.up()).isFalse();
            assertThat(health.error()).isEqualTo(ErrorCode.UNAVAILABLE);
        }
    }

    @Test
    void shouldKeepSha256OfStagedUploadsInMetadata() {
        ObjectInfo written = store.put("behaviour", "staged.bin", new GeneratedInputStream(9L * 1024 * 1024, 4), PutOptions.DEFAULT);
        ObjectInfo head = store.head("behaviour", "staged.bin").orElseThrow();
        assertThat(head.sha256()).isEqualTo(written.sha256()).isEqualTo(GeneratedInputStream.expectedSha256(9L * 1024 * 1024, 4));
        assertThat(head.userMetadata()).isEmpty();
    }
}
