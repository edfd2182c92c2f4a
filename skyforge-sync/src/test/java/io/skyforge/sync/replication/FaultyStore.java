package io.skyforge.sync.replication;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ByteRange;
import io.skyforge.spi.storage.ListPage;
import io.skyforge.spi.storage.ListRequest;
import io.skyforge.spi.storage.ObjectContent;
import io.skyforge.spi.storage.ObjectInfo;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreCapabilities;
import io.skyforge.spi.storage.PresignedUrl;
import io.skyforge.spi.storage.PutOptions;
import io.skyforge.spi.storage.StoreHealth;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real store behind a switch: while "down" every call fails with {@code SF-UNAVAILABLE} as an
 * unreachable endpoint does; "empty listing" makes listings come back empty while objects stay. It also
 * counts the writes that reach the store, so loop suppression is measured at the server side of the SPI.
 */
final class FaultyStore implements ObjectStore {

    private final ObjectStore delegate;
    private final String name;
    volatile boolean down;
    volatile boolean emptyListings;
    /** How long a listing is held back after its page was read, so writes can land while it is in flight. */
    volatile long slowListingMillis;
    /** Listing pages read so far. */
    final java.util.concurrent.atomic.AtomicInteger listingsRead = new java.util.concurrent.atomic.AtomicInteger();
    /** Listings still to fail with an HTTP 500 as S3Proxy sometimes answers, while everything else works. */
    final java.util.concurrent.atomic.AtomicInteger failingListings = new java.util.concurrent.atomic.AtomicInteger();
    final AtomicLong puts = new AtomicLong();
    final AtomicLong deletes = new AtomicLong();
    final AtomicLong copies = new AtomicLong();
    final AtomicLong gets = new AtomicLong();
    final AtomicLong heads = new AtomicLong();
    /**
     * While set, every listing page after the first waits (up to 10 s) until it holds: a big bucket's listing
     * that is still going on while something else should already happen.
     */
    volatile java.util.function.BooleanSupplier laterPagesWaitUntil;
    /** Later pages that gave up waiting for {@link #laterPagesWaitUntil}. */
    final java.util.concurrent.atomic.AtomicInteger laterPagesTimedOut = new java.util.concurrent.atomic.AtomicInteger();

    FaultyStore(String name, ObjectStore delegate) {
        this.name = name;
        this.delegate = delegate;
    }

    String name() {
        return name;
    }

    long writes() {
        return puts.get() + deletes.get() + copies.get();
    }

    void resetCounts() {
        puts.set(0);
        deletes.set(0);
        copies.set(0);
        gets.set(0);
        heads.set(0);
    }

    private void check() {
        if (down) {
            throw new SkyforgeException(ErrorCode.UNAVAILABLE, name + " is unreachable (fault injected by the test)");
        }
    }

    @Override
    public String type() {
        return delegate.type();
    }

    @Override
    public ObjectStoreCapabilities capabilities() {
        return delegate.capabilities();
    }

    @Override
    public StoreHealth probe() {
        if (down) {
            return StoreHealth.down(Duration.ZERO, ErrorCode.UNAVAILABLE, name + " is unreachable (fault injected by the test)");
        }
        return delegate.probe();
    }

    @Override
    public boolean bucketExists(String bucket) {
        check();
        return delegate.bucketExists(bucket);
    }

    @Override
    public boolean createBucket(String bucket) {
        check();
        return delegate.createBucket(bucket);
    }

    @Override
    public void deleteBucket(String bucket) {
        check();
        delegate.deleteBucket(bucket);
    }

    @Override
    public ObjectInfo put(String bucket, String key, InputStream data, PutOptions options) {
        check();
        ObjectInfo info = delegate.put(bucket, key, data, options);
        puts.incrementAndGet();
        return info;
    }

    @Override
    public ObjectContent get(String bucket, String key, ByteRange range) {
        check();
        gets.incrementAndGet();
        return delegate.get(bucket, key, range);
    }

    @Override
    public Optional<ObjectInfo> head(String bucket, String key) {
        check();
        heads.incrementAndGet();
        return delegate.head(bucket, key);
    }

    @Override
    public ListPage list(String bucket, ListRequest request) {
        check();
        if (failingListings.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            // An error that says nothing about reachability: the copy stays reachable, only unlisted.
            throw new SkyforgeException(ErrorCode.EXTERNAL, name + ": list '" + bucket + "': HTTP 500 (fault injected by the test)");
        }
        if (emptyListings) {
            return new ListPage(List.of(), List.of(), null);
        }
        java.util.function.BooleanSupplier until = laterPagesWaitUntil;
        if (until != null && request.token() != null) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!until.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    laterPagesTimedOut.incrementAndGet();
                    break;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        ListPage page = delegate.list(bucket, request);
        listingsRead.incrementAndGet();
        if (slowListingMillis > 0) {
            try {
                Thread.sleep(slowListingMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return page;
    }

    @Override
    public void delete(String bucket, String key) {
        check();
        delegate.delete(bucket, key);
        deletes.incrementAndGet();
    }

    @Override
    public ObjectInfo copy(String sourceBucket, String sourceKey, String targetBucket, String targetKey) {
        check();
        ObjectInfo info = delegate.copy(sourceBucket, sourceKey, targetBucket, targetKey);
        copies.incrementAndGet();
        return info;
    }

    @Override
    public PresignedUrl presign(String bucket, String key, PresignedUrl.Method method, Duration ttl) {
        check();
        return delegate.presign(bucket, key, method, ttl);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
