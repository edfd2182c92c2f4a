package io.skyforge.provider.filesystem;

import io.skyforge.spi.error.Violation;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.spi.storage.ObjectStoreFactory;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code type: filesystem}: buckets are directories under {@code root}. */
public final class FilesystemObjectStoreFactory implements ObjectStoreFactory {

    public static final String TYPE = "filesystem";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<Violation> validate(ObjectStoreConfig config) {
        List<Violation> v = new ArrayList<>();
        if (config.root() == null || config.root().isBlank()) {
            v.add(Violation.at("root", "a filesystem store needs a root directory"));
        } else {
            try {
                Path.of(config.root());
            } catch (InvalidPathException e) {
                v.add(Violation.at("root", "not a valid path: " + e.getMessage()));
            }
        }
        for (String field : List.of("endpoint", "accessKey", "secretKey", "accountName", "accountKey")) {
            if (has(config, field)) {
                v.add(Violation.at(field, "not used by a filesystem store"));
            }
        }
        return v;
    }

    private static boolean has(ObjectStoreConfig c, String field) {
        String value = switch (field) {
            case "endpoint" -> c.endpoint();
            case "accessKey" -> c.accessKey();
            case "secretKey" -> c.secretKey();
            case "accountName" -> c.accountName();
            default -> c.accountKey();
        };
        return value != null && !value.isBlank();
    }

    @Override
    public ObjectStore create(ObjectStoreConfig config) {
        config.requireValid(validate(config));
        return new FilesystemObjectStore(config.name(), Path.of(config.root()));
    }
}
