package io.skyforge.spi.storage;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Streams an object of unknown length to a backend that takes parts (S3 multipart, Azure staged
 * blocks): reads fixed-size parts on the caller's thread, uploads up to {@code concurrency} of them in
 * parallel, and never holds more than {@code concurrency} part buffers, whatever the object's size.
 * An object that fits in one part goes up in one request. Any failure, including the input stream
 * throwing or a declared length not matching, aborts the upload so nothing becomes visible.
 */
public final class PartPump {

    /** The backend half of an upload. */
    public interface Target<P> {
        /** The whole object fits in one part. */
        ObjectInfo putWhole(byte[] data, int length, String sha256);

        /** Called once before the first {@link #uploadPart}. */
        void begin();

        /** Uploads part {@code number} (1-based); called concurrently from the executor. */
        P uploadPart(int number, byte[] data, int length) throws Exception;

        /** Makes the object visible from its parts, in order. */
        ObjectInfo complete(List<P> parts, long size, String sha256);

        /** Discards the parts; best effort, must not throw. */
        void abort();
    }

    private static final int FIRST_READ = 64 * 1024;

    private final int partSize;
    private final int concurrency;
    private final ExecutorService executor;
    private final PartBuffers buffers;

    public PartPump(int partSize, int concurrency, ExecutorService executor) {
        this(partSize, concurrency, executor, PartBuffers.SHARED);
    }

    PartPump(int partSize, int concurrency, ExecutorService executor, PartBuffers buffers) {
        if (partSize < 1 || concurrency < 1) {
            throw new IllegalArgumentException("partSize and concurrency must be positive");
        }
        this.partSize = partSize;
        this.concurrency = concurrency;
        this.executor = executor;
        this.buffers = buffers;
    }

    public int partSize() {
        return partSize;
    }

    public <P> ObjectInfo upload(InputStream in, long declaredLength, Target<P> target) {
        return upload(in, declaredLength, null, target);
    }

    /**
     * As {@link #upload(InputStream, long, Target)}, with the content's SHA-256 when the caller already knows
     * it ({@link PutOptions#sha256()}): then the bytes are not hashed again and that value is reported.
     */
    public <P> ObjectInfo upload(InputStream in, long declaredLength, String knownSha256, Target<P> target) {
        Hash sha = new Hash(knownSha256);
        // Start small and grow: most objects are far smaller than a part, and a part-sized buffer per
        // put (8 MiB or more) turned thousands of small uploads into a garbage-collection storm.
        int capacity = declaredLength >= 0 ? (int) Math.min(partSize, declaredLength + 1) : Math.min(partSize, FIRST_READ);
        byte[] first = buffer(Math.max(1, capacity));
        int firstLength = 0;
        while (true) {
            firstLength += fill(in, first, firstLength, sha);
            if (firstLength < first.length || first.length == partSize) {
                break;
            }
            byte[] grown = buffer((int) Math.min(partSize, 2L * first.length));
            System.arraycopy(first, 0, grown, 0, firstLength);
            first = grown;
        }
        if (firstLength < partSize || atEnd(in)) {
            checkLength(declaredLength, firstLength);
            ObjectInfo info = target.putWhole(first, firstLength, sha.hex());
            release(first);
            return info;
        }
        return multipart(in, declaredLength, target, sha, first);
    }

    /** A whole part comes from the pool (see {@link PartBuffers}); smaller buffers are too small to matter. */
    private byte[] buffer(int capacity) {
        return capacity == partSize ? buffers.take(partSize) : new byte[capacity];
    }

    private void release(byte[] buffer) {
        if (buffer.length == partSize) {
            buffers.give(buffer);
        }
    }

    private <P> ObjectInfo multipart(InputStream in, long declaredLength, Target<P> target, Hash sha, byte[] first) {
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(concurrency);
        List<Future<P>> futures = new ArrayList<>();
        AtomicBoolean stopped = new AtomicBoolean();
        List<byte[]> owned = new ArrayList<>(concurrency);
        owned.add(first);
        boolean partsSettled = false;
        target.begin();
        try {
            byte[] buffer = first;
            int length = partSize;
            long total = 0;
            int number = 0;
            while (length > 0) {
                total += length;
                int partNumber = ++number;
                byte[] data = buffer;
                int dataLength = length;
                futures.add(executor.submit(() -> {
                    try {
                        if (stopped.get()) {
                            throw new CancellationException("upload aborted");
                        }
                        return target.uploadPart(partNumber, data, dataLength);
                    } finally {
                        free.offer(data);
                    }
                }));
                failFast(futures);
                if (owned.size() < concurrency) {
                    buffer = buffer(nextCapacity(declaredLength, total));
                    owned.add(buffer);
                } else {
                    buffer = free.take();
                    failFast(futures);
                }
                length = fill(in, buffer, 0, sha);
            }
            checkLength(declaredLength, total);
            List<P> parts = new ArrayList<>(futures.size());
            for (Future<P> f : futures) {
                parts.add(f.get());
            }
            partsSettled = true;
            return target.complete(parts, total, sha.hex());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort(target, futures, stopped);
            throw new SkyforgeException(ErrorCode.IO, "upload interrupted", e);
        } catch (ExecutionException e) {
            partsSettled = abort(target, futures, stopped);
            throw asSkyforge(e.getCause());
        } catch (RuntimeException | Error e) {
            partsSettled = abort(target, futures, stopped);
            throw e;
        } finally {
            // Only once no part task can still read them: an interrupted abort leaves them to the collector.
            if (partsSettled) {
                owned.forEach(this::release);
            }
        }
    }

    /**
     * A fresh part buffer: a whole part, or when the length is known only what is left plus one
     * byte (to see the end), so a 16 MiB object with 8 MiB parts holds 16 MiB rather than 24.
     */
    private int nextCapacity(long declaredLength, long sent) {
        if (declaredLength < 0) {
            return partSize;
        }
        return (int) Math.max(1, Math.min(partSize, declaredLength - sent + 1));
    }

    private static <P> void failFast(List<Future<P>> futures) throws ExecutionException, InterruptedException {
        for (Future<P> f : futures) {
            if (f.isDone()) {
                f.get();
            }
        }
    }

    /** Answers whether every part task has ended (false when interrupted while waiting for them). */
    private static <P> boolean abort(Target<P> target, List<Future<P>> futures, AtomicBoolean stopped) {
        stopped.set(true);
        boolean settled = true;
        // Waiting (rather than cancelling) matters: a part still being sent would land after the
        // abort and leave orphaned storage behind. Parts not yet started see the flag and skip.
        for (Future<P> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                settled = false;
                break;
            } catch (ExecutionException | CancellationException ignored) {
                // The first failure is what the caller sees.
            }
        }
        target.abort();
        return settled;
    }

    private static SkyforgeException asSkyforge(Throwable t) {
        if (t instanceof SkyforgeException s) {
            return s;
        }
        return new SkyforgeException(ErrorCode.IO, "part upload failed: " + t.getMessage(), t);
    }

    private static void checkLength(long declared, long actual) {
        if (declared != PutOptions.UNKNOWN_LENGTH && declared != actual) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "the body had " + actual + " bytes but "
                    + declared + " were declared; nothing was stored");
        }
    }

    /** Reads until {@code buffer} is full from {@code offset} or the stream ends; an input failure becomes {@code SF-IO}. */
    private static int fill(InputStream in, byte[] buffer, int offset, Hash sha) {
        try {
            int n = in.readNBytes(buffer, offset, buffer.length - offset);
            sha.update(buffer, offset, n);
            return n;
        } catch (IOException e) {
            throw new SkyforgeException(ErrorCode.IO, "reading the upload body failed: " + e.getMessage(), e);
        }
    }

    /** The upload's SHA-256: computed from the bytes, or the one the caller vouched for. */
    private static final class Hash {
        private final String known;
        private final MessageDigest digest;

        Hash(String known) {
            this.known = known;
            this.digest = known == null ? sha256() : null;
        }

        void update(byte[] buffer, int offset, int length) {
            if (digest != null) {
                digest.update(buffer, offset, length);
            }
        }

        String hex() {
            return known != null ? known : PartPump.hex(digest);
        }
    }

    private static boolean atEnd(InputStream in) {
        if (in.markSupported()) {
            in.mark(1);
            try {
                int b = in.read();
                in.reset();
                return b < 0;
            } catch (IOException e) {
                throw new SkyforgeException(ErrorCode.IO, "reading the upload body failed: " + e.getMessage(), e);
            }
        }
        // Without mark we cannot peek; treating a full first part as "maybe more" only costs a one-part multipart.
        return false;
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
