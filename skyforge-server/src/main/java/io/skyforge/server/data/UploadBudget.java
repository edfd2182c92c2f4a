package io.skyforge.server.data;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the heap that concurrent uploads may hold. The adapters stream, but each upload keeps its
 * parts or blocks in flight (8 MiB × 4 by default), so ten parallel 16 MiB PUTs would need more
 * than a 256 MiB heap. An upload reserves what it will hold before it reads its body — its declared
 * length plus the one byte the part pump reads to see the end, at most the adapters' worst case — and
 * waits (fairly) when the budget is spent; one that cannot start within {@code maxWait} is refused
 * with {@code SF-THROTTLED} (503, Retry-After) instead of failing the whole server with an
 * OutOfMemoryError. Reservations are counted in KiB: reserving a whole part for a 64 KiB object
 * (as before the part pump sized its buffers from the length) let a small heap take only a dozen
 * small uploads at once.
 */
public final class UploadBudget {

    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;
    /** What one upload holds at most with the adapters' default part size and parallelism. */
    static final long MAX_PER_UPLOAD = 32 * MIB;

    private final Semaphore kibibytes;
    private final int total;
    private final Duration maxWait;

    public UploadBudget(long bytes, Duration maxWait) {
        this.total = (int) Math.max(MAX_PER_UPLOAD / KIB, bytes / KIB);
        this.kibibytes = new Semaphore(total, true);
        this.maxWait = maxWait;
    }

    /** 40% of the maximum heap, at least one full upload. */
    public static UploadBudget forHeap(Runtime runtime, Duration maxWait) {
        return new UploadBudget((long) (runtime.maxMemory() * 0.4), maxWait);
    }

    /** A reservation; close it when the upload ended. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /** @param declaredLength the body's length, or -1 when unknown */
    Lease acquire(long declaredLength) {
        long bytes = declaredLength < 0 ? MAX_PER_UPLOAD : Math.min(MAX_PER_UPLOAD, declaredLength + 1);
        int permits = (int) Math.min(total, (bytes + KIB - 1) / KIB);
        try {
            if (!kibibytes.tryAcquire(permits, maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SkyforgeException(ErrorCode.THROTTLED, "the server is busy with other uploads (upload memory of "
                        + total / KIB + " MiB in use for " + maxWait.toSeconds() + " s); retry later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SkyforgeException(ErrorCode.UNAVAILABLE, "interrupted while waiting for upload memory");
        }
        return () -> kibibytes.release(permits);
    }

    /** KiB not reserved. */
    int available() {
        return kibibytes.availablePermits();
    }
}
