package io.skyforge.spi.storage;

import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Part-sized buffers kept between uploads. A part is megabytes, and G1 puts arrays that large in
 * "humongous" regions: a fresh pair for every 16 MiB upload, ten uploads at a time, kept the
 * collector in back-to-back concurrent cycles with a full collection now and then (JFR of the
 * data-API benchmark), which cost the upload throughput a quarter. Idle buffers are kept up to a
 * limit (a sixteenth of the heap for the shared pool); beyond it they are left to the collector, so
 * the pool never holds more than that while nothing uploads.
 */
final class PartBuffers {

    static final PartBuffers SHARED = new PartBuffers(Runtime.getRuntime().maxMemory() / 16);

    private final long idleLimit;
    private final Map<Integer, Deque<byte[]>> idle = new ConcurrentHashMap<>();
    private final AtomicLong idleBytes = new AtomicLong();

    PartBuffers(long idleLimit) {
        this.idleLimit = idleLimit;
    }

    /** An idle buffer of exactly {@code size} bytes, or a new one; its content is undefined. */
    byte[] take(int size) {
        Deque<byte[]> queue = idle.get(size);
        byte[] buffer = queue == null ? null : queue.pollFirst();
        if (buffer == null) {
            return new byte[size];
        }
        idleBytes.addAndGet(-size);
        return buffer;
    }

    /** Keeps {@code buffer} for a later {@link #take} if the idle limit allows; the caller must not touch it again. */
    void give(byte[] buffer) {
        if (idleBytes.addAndGet(buffer.length) > idleLimit) {
            idleBytes.addAndGet(-buffer.length);
            return;
        }
        idle.computeIfAbsent(buffer.length, k -> new ConcurrentLinkedDeque<>()).offerFirst(buffer);
    }

    long idleBytes() {
        return idleBytes.get();
    }
}
