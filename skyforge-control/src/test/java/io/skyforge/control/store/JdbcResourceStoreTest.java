package io.skyforge.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.core.model.Kinds;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening and configuring the JDBC store; behaviour on a database is in {@link ResourceStoreContract}. */
class JdbcResourceStoreTest {

    @TempDir
    Path dir;

    @Test
    void shouldCreateTheDataDirAndItsDatabaseOnFirstOpen() {
        Path dataDir = dir.resolve("nested/data");

        try (JdbcResourceStore store = JdbcResourceStore.openDataDir(dataDir)) {
            assertThat(store.namespaces()).containsExactly("default");
            assertThat(store.currentResourceVersion()).isZero();
        }

        assertThat(Files.exists(dataDir.resolve("skyforge.mv.db"))).isTrue();
    }

    @Test
    void shouldRefuseAnUnsupportedJdbcUrl() {
        assertThatThrownBy(() -> JdbcResourceStore.open("jdbc:mysql://127.0.0.1/x?password=secret"))
                .isInstanceOf(SkyforgeException.class)
                .hasMessageContaining("unsupported store URL jdbc:mysql://127.0.0.1/x")
                .hasMessageContaining("jdbc:postgresql://")
                .hasMessageNotContaining("secret")
                .extracting(e -> ((SkyforgeException) e).code()).isEqualTo(ErrorCode.VALIDATION);
    }

    @Test
    void shouldReportAnUnreachableDatabaseAsUnavailableWithoutItsPassword() {
        assertThatThrownBy(() -> JdbcResourceStore.open("jdbc:postgresql://127.0.0.1:1/nowhere?user=u&password=secret"))
                .isInstanceOf(SkyforgeException.class)
                .hasMessageStartingWith("cannot connect to the store at jdbc:postgresql://127.0.0.1:1/nowhere:")
                .hasMessageNotContaining("secret")
                .extracting(e -> ((SkyforgeException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void shouldListEveryBadOptionAtOnce() {
        assertThatThrownBy(() -> new JdbcResourceStore.Options(0, Duration.ZERO, 0))
                .isInstanceOf(SkyforgeException.class)
                .hasMessageContaining("maxPoolSize must be at least 1")
                .hasMessageContaining("pollInterval must be positive")
                .hasMessageContaining("retainedEvents must be at least 1");
    }

    @Test
    void shouldRefuseCallsAfterClose() {
        JdbcResourceStore store = JdbcResourceStore.openDataDir(dir);
        store.close();
        store.close();

        assertThatThrownBy(() -> store.get(Kinds.CLOUD, null, "x"))
                .isInstanceOf(SkyforgeException.class)
                .hasMessage("the resource store is closed");
    }
}
