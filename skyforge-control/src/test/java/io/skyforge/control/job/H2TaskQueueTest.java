package io.skyforge.control.job;

import io.skyforge.control.store.JdbcResourceStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2TaskQueueTest extends TaskQueueContract {

    @TempDir
    Path dataDir;

    @Override
    protected JdbcResourceStore openStore() {
        return JdbcResourceStore.openDataDir(dataDir);
    }
}
