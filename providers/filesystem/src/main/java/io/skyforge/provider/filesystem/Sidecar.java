package io.skyforge.provider.filesystem;

import io.skyforge.spi.storage.ObjectInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The metadata kept beside an object's bytes, as a {@link Properties} file (the JDK reads and writes
 * it with full Unicode escaping, so no JSON library is needed in a provider that has no other use for one).
 */
final class Sidecar {

    private static final String META = "meta.";

    private Sidecar() {
    }

    static void write(Path file, ObjectInfo info) throws IOException {
        Properties p = new Properties();
        p.setProperty("key", info.key());
        p.setProperty("size", Long.toString(info.size()));
        p.setProperty("etag", info.etag());
        if (info.sha256() != null) {
            p.setProperty("sha256", info.sha256());
        }
        p.setProperty("contentType", info.contentType());
        p.setProperty("lastModified", info.lastModified().toString());
        info.userMetadata().forEach((k, v) -> p.setProperty(META + k, v));
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, null);
        }
    }

    static ObjectInfo read(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        Map<String, String> meta = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(META)) {
                meta.put(name.substring(META.length()), p.getProperty(name));
            }
        }
        return new ObjectInfo(p.getProperty("key"), Long.parseLong(p.getProperty("size")), p.getProperty("etag"),
                Instant.parse(p.getProperty("lastModified")), p.getProperty("contentType"), meta, p.getProperty("sha256"));
    }
}
