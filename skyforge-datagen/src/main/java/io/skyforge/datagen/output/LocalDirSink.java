package io.skyforge.datagen.output;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Files under a directory; each is written to a temporary name and renamed into place on close. */
public final class LocalDirSink implements PartSink {

    private final Path root;

    public LocalDirSink(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    @Override
    public OutputStream open(String key) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        OutputStream raw = Files.newOutputStream(tmp);
        return new FilterOutputStream(raw) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                super.close();
                try {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        };
    }

    private Path resolve(String key) throws IOException {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root.normalize())) {
            throw new IOException("key escapes the output directory: " + key);
        }
        return p;
    }

    @Override
    public String describe() {
        return root.toString();
    }
}
