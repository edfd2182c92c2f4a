package io.skyforge.provider.filesystem;

import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.spi.storage.ObjectStores;
import io.skyforge.testkit.storage.ObjectStoreCompatibilityKit;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The compatibility kit against a directory: the filesystem needs no server, so this runs with the unit tests. */
class FilesystemObjectStoreTest extends ObjectStoreCompatibilityKit {

    @TempDir
    static Path root;

    @Override
    protected ObjectStore openStore() {
        return ObjectStores.open(ObjectStoreConfig.builder("filesystem").name("local").root(root.toString()).build());
    }
}
