package io.skyforge.control.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded default: an H2 file database in a data dir. */
class H2ResourceStoreTest extends ResourceStoreContract {

    @TempDir
    Path dataDir;

    @Override
    protected String newDatabase() {
        return JdbcResourceStore.h2Url(dataDir);
    }
}
