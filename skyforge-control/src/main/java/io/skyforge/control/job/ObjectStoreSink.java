package io.skyforge.control.job;

import io.skyforge.datagen.output.PartSink;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.PutOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Generated parts written straight into a bucket of one cloud, under {@code <prefix>/<key>}. The
 * generator writes into a pipe that the adapter's streaming put reads on another thread (multipart
 * or staged blocks above the adapter's threshold), so a part is never held whole in memory. The
 * put completes, and the object becomes visible, when the stream is closed.
 */
public final class ObjectStoreSink implements PartSink {

    private static final int PIPE_BUFFER = 1 << 20;

    private final ObjectStore store;
    private final String bucket;
    private final String prefix;
    private final ExecutorService uploads;
    private final Map<String, String> metadata;

    /**
     * @param uploads runs the put of each open part (one thread per concurrently open part)
     * @param metadata user metadata stored with every object (e.g. the job and its attempt)
     */
    public ObjectStoreSink(ObjectStore store, String bucket, String prefix, ExecutorService uploads,
                           Map<String, String> metadata) {
        this.store = store;
        this.bucket = bucket;
        this.prefix = prefix == null || prefix.isEmpty() ? "" : prefix.endsWith("/") ? prefix : prefix + "/";
        this.uploads = uploads;
        this.metadata = Map.copyOf(metadata);
    }

    public String objectKey(String key) {
        return prefix + key;
    }

    @Override
    public OutputStream open(String key) throws IOException {
        PipedInputStream in = new PipedInputStream(PIPE_BUFFER);
        PipedOutputStream out = new PipedOutputStream(in);
        String objectKey = objectKey(key);
        Future<?> put = uploads.submit(() -> {
            try (in) {
                store.put(bucket, objectKey, in, PutOptions.defaults().withUserMetadata(metadata));
            }
            return null;
        });
        return new OutputStream() {
            private boolean closed;
            // Once the upload's failure has been thrown, close() must not throw the same exception again
            // (try-with-resources would try to add it to itself as suppressed).
            private boolean failureReported;

            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (put.isDone()) {
                    failureReported = true;
                    awaitPut(put, objectKey); // the upload ended early: stop generating into a dead pipe
                }
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    out.close();
                } catch (IOException e) {
                    // the reader side is gone; the put's own outcome below says why
                }
                if (!failureReported) {
                    awaitPut(put, objectKey);
                }
            }
        };
    }

    private void awaitPut(Future<?> put, String objectKey) throws IOException {
        try {
            put.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            put.cancel(true);
            throw new InterruptedIOException("interrupted while uploading " + objectKey);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SkyforgeException se) {
                throw se;
            }
            throw new SkyforgeException(ErrorCode.IO, "upload of " + bucket + "/" + objectKey + " failed: " + cause, cause);
        }
    }

    @Override
    public String describe() {
        return store.type() + "://" + bucket + "/" + prefix;
    }
}
