package io.skyforge.spi.storage;

import java.io.InputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One object storage account (a cloud's S3 endpoint, an Azure storage account, a local directory).
 * Instances are thread-safe and meant to be shared; {@link #close()} releases their HTTP clients and
 * thread pools.
 *
 * <p>A "bucket" is the backend's top-level namespace: an S3 bucket, an Azure container, a directory
 * under the filesystem root.
 */
public interface ObjectStore extends AutoCloseable {

    /** The provider type this store was created for: {@code s3}, {@code azure-blob}, {@code filesystem}. */
    String type();

    /** What this store really does; an operation outside it fails with {@code SF-UNSUPPORTED}. */
    ObjectStoreCapabilities capabilities();

    /**
     * Checks that the backend answers and accepts the credentials. Never throws: a failure is reported
     * in the result with its error code, so a controller can write it into a condition as it is.
     */
    StoreHealth probe();

    boolean bucketExists(String bucket);

    /**
     * Creates the bucket; idempotent.
     *
     * @return true when this call created it, false when it already existed
     */
    boolean createBucket(String bucket);

    /** Deletes an empty bucket; a missing bucket is not an error. A non-empty one fails with {@code SF-CONFLICT}. */
    void deleteBucket(String bucket);

    /**
     * Writes an object from a stream of known or unknown length ({@link PutOptions#contentLength()}),
     * without holding the whole object in memory: large objects go up as parts or staged blocks.
     * The object becomes visible whole or not at all; when {@code data} throws, nothing is left behind.
     * The stream is read to its end but not closed.
     *
     * @return the stored object's description, including the SHA-256 of the bytes read
     */
    ObjectInfo put(String bucket, String key, InputStream data, PutOptions options);

    /**
     * Reads an object or a byte range of it. The caller must close the result. A range past the end
     * of a non-empty object is clipped to the end; a range starting past the end fails with
     * {@code SF-VALIDATION}.
     */
    ObjectContent get(String bucket, String key, ByteRange range);

    default ObjectContent get(String bucket, String key) {
        return get(bucket, key, ByteRange.ALL);
    }

    /** The object's description, or empty when the key does not exist (a missing bucket still fails). */
    Optional<ObjectInfo> head(String bucket, String key);

    /** One page of keys in ascending UTF-8 byte order. */
    ListPage list(String bucket, ListRequest request);

    /** Every key under a prefix, fetching pages lazily as the stream is consumed. */
    default Stream<ObjectSummary> listAll(String bucket, String prefix) {
        Iterator<ObjectSummary> it = new Iterator<>() {
            private ListPage page = list(bucket, ListRequest.prefix(prefix));
            private int index;

            @Override
            public boolean hasNext() {
                while (index >= page.objects().size()) {
                    if (page.nextToken() == null) {
                        return false;
                    }
                    page = list(bucket, ListRequest.prefix(prefix).withToken(page.nextToken()));
                    index = 0;
                }
                return true;
            }

            @Override
            public ObjectSummary next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.objects().get(index++);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** Deletes an object; deleting a missing key succeeds (a missing bucket still fails). */
    void delete(String bucket, String key);

    /**
     * Copies an object with its content type and user metadata, server-side when
     * {@link ObjectStoreCapabilities#serverSideCopy()} is true, else streamed through this process.
     */
    ObjectInfo copy(String sourceBucket, String sourceKey, String targetBucket, String targetKey);

    /**
     * A URL that lets anyone holding it perform {@code method} on the object until it expires
     * (S3 presigned URL, Azure SAS URL). Fails with {@code SF-UNSUPPORTED} when
     * {@link ObjectStoreCapabilities#presignedUrls()} is false.
     */
    PresignedUrl presign(String bucket, String key, PresignedUrl.Method method, Duration ttl);

    @Override
    void close();
}
