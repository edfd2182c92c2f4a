package io.skyforge.sync.replication;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ObjectInfo;
import io.skyforge.spi.storage.ObjectKeys;
import io.skyforge.spi.storage.Precondition;
import io.skyforge.spi.storage.PutOptions;
import io.skyforge.sync.clock.Hlc;
import io.skyforge.sync.clock.HybridLogicalClock;
import io.skyforge.sync.version.Version;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes into one copy of a logical bucket the way the data API must: the new version is stamped with
 * an HLC taken after merging the version it replaces, so a write that followed another (read it, or
 * named its ETag in {@code If-Match}) always orders after it and never loses to it; and the write is
 * serialised with replication of the same key. Then the replicator is told.
 */
public final class BucketWriter {

    private final LogicalBucketReplicator replicator;
    private final HybridLogicalClock clock;

    BucketWriter(LogicalBucketReplicator replicator, HybridLogicalClock clock) {
        this.replicator = replicator;
        this.clock = clock;
    }

    /**
     * Writes {@code data} to {@code key} on the copy in {@code cloud}. {@code options.precondition()}
     * is checked against that copy ({@code SF-PRECONDITION-FAILED} when it does not hold); user
     * metadata names starting with {@value Version#PREFIX} are refused.
     */
    public WriteResult put(String cloud, String key, InputStream data, PutOptions options) {
        ObjectKeys.validateKey(key);
        for (String name : options.userMetadata().keySet()) {
            if (name.startsWith(Version.PREFIX)) {
                throw new SkyforgeException(ErrorCode.VALIDATION, "metadata names starting with '" + Version.PREFIX
                        + "' belong to the sync engine: " + name);
            }
        }
        return write(cloud, key, options, false, data);
    }

    /** Deletes {@code key} through the copy in {@code cloud}: writes a tombstone that replicates like a write. */
    public WriteResult delete(String cloud, String key, Precondition precondition) {
        ObjectKeys.validateKey(key);
        return write(cloud, key, PutOptions.defaults().withPrecondition(precondition), true, null);
    }

    private WriteResult write(String cloud, String key, PutOptions options, boolean tombstone, InputStream data) {
        LogicalBucketReplicator.CopyRuntime c = replicator.copy(cloud);
        ReentrantLock lock = replicator.lockFor(key);
        lock.lock();
        try {
            Optional<ObjectInfo> current = c.copy.store().head(c.copy.bucket(), key);
            Version parent = current.flatMap(i -> Version.fromMetadata(i.userMetadata(), i.sha256()))
                    .orElseGet(() -> current.isPresent() ? replicator.observedVersion(cloud, key) : replicator.tombstoneOf(key));
            boolean currentIsLive = current.isPresent() && (parent == null || !parent.tombstone());
            Precondition p = options.precondition();
            switch (p.kind()) {
                case IF_ABSENT -> {
                    if (currentIsLive) {
                        throw new SkyforgeException(ErrorCode.PRECONDITION_FAILED, "'" + key + "' already exists");
                    }
                }
                case IF_MATCH -> {
                    if (!currentIsLive || !current.get().etag().equals(p.etag())) {
                        throw new SkyforgeException(ErrorCode.PRECONDITION_FAILED, "'" + key + "' is not at ETag " + p.etag());
                    }
                }
                case NONE -> { }
            }
            if (parent != null) {
                clock.update(parent.hlc());
            }
            Hlc hlc = clock.now();
            Version version = Version.write(hlc, cloud, null, tombstone, parent);
            // The store re-checks the state we decided on when it can, against writers outside this process.
            var caps = c.copy.store().capabilities();
            Precondition guard = current.isPresent()
                    ? (caps.conditionalReplace() ? Precondition.ifMatch(current.get().etag()) : Precondition.NONE)
                    : (caps.conditionalCreate() ? Precondition.IF_ABSENT : Precondition.NONE);
            Map<String, String> metadata = version.stamp(options.userMetadata());
            PutOptions put = new PutOptions(tombstone ? null : options.contentType(), metadata,
                    tombstone ? 0 : options.contentLength(), guard);
            // A body declared larger than what is kept goes to the store untouched (mark/reset and all).
            Capture body = tombstone || options.contentLength() > LogicalBucketReplicator.BUFFERED_MAX_BYTES ? null
                    : new Capture(data, options.contentLength());
            ObjectInfo info = c.copy.store().put(c.copy.bucket(), key,
                    tombstone ? new ByteArrayInputStream(new byte[0]) : body != null ? body : data, put);
            Version written = tombstone ? version : version.withSha256(info.sha256());
            replicator.recordLocalWrite(cloud, key, info, written, body == null ? null : body.content());
            return new WriteResult(key, cloud, written, info);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Keeps a copy of a small body (at most {@link LogicalBucketReplicator#BUFFERED_MAX_BYTES}) while the store
     * reads it: replicating the write to the other copies then needs no GET of what was just written (a third
     * of the requests a small write costs).
     */
    private static final class Capture extends FilterInputStream {
        private byte[] copy;
        private int length;
        private boolean overflow;

        Capture(InputStream in, long declaredLength) {
            super(in);
            this.copy = new byte[declaredLength >= 0 ? (int) declaredLength : 8192];
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                keep(new byte[] {(byte) b}, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0) {
                keep(buf, off, n);
            }
            return n;
        }

        private void keep(byte[] buf, int off, int n) {
            if (overflow) {
                return;
            }
            if (length + n > LogicalBucketReplicator.BUFFERED_MAX_BYTES) {
                overflow = true;
                copy = null;
                return;
            }
            if (length + n > copy.length) {
                copy = Arrays.copyOf(copy, Math.min(LogicalBucketReplicator.BUFFERED_MAX_BYTES,
                        Math.max(length + n, 2 * copy.length)));
            }
            System.arraycopy(buf, off, copy, length, n);
            length += n;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        /** The whole body when it was small, else null (the caller checks it against the stored size). */
        byte[] content() {
            if (overflow) {
                return null;
            }
            return length == copy.length ? copy : Arrays.copyOf(copy, length);
        }
    }
}
