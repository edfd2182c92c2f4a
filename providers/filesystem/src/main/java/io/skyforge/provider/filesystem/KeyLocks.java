package io.skyforge.provider.filesystem;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutual exclusion for the commit step of a write (check precondition, rename into place) and for
 * reads of metadata plus data, per key stripe. Two layers: a JVM-wide {@link ReentrantLock} per lock
 * file, because {@link FileChannel#lock()} is held per process and throws when one JVM asks twice;
 * then the OS file lock, so several processes sharing a root (a server and a worker) still exclude
 * each other.
 */
final class KeyLocks {

    private static final int STRIPES = 64;
    private static final ConcurrentMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path dir;

    KeyLocks(Path dir) {
        this.dir = dir;
    }

    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    Held lock(String key) {
        Path file = dir.resolve("stripe-" + Math.floorMod(key.hashCode(), STRIPES));
        ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new ReentrantLock());
        jvm.lock();
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock os;
            try {
                os = channel.lock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            return () -> {
                try {
                    os.release();
                    channel.close();
                } catch (IOException e) {
                    throw new SkyforgeException(ErrorCode.IO, "could not release lock " + file + ": " + e.getMessage(), e);
                } finally {
                    jvm.unlock();
                }
            };
        } catch (IOException e) {
            jvm.unlock();
            throw new SkyforgeException(ErrorCode.IO, "could not lock " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            jvm.unlock();
            throw e;
        }
    }
}
