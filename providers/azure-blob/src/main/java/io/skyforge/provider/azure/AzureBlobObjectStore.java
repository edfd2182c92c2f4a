package io.skyforge.provider.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.ListBlobContainersOptions;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.blob.specialized.BlobInputStream;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ByteRange;
import io.skyforge.spi.storage.ETags;
import io.skyforge.spi.storage.ListPage;
import io.skyforge.spi.storage.ListRequest;
import io.skyforge.spi.storage.ObjectContent;
import io.skyforge.spi.storage.ObjectInfo;
import io.skyforge.spi.storage.ObjectKeys;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreCapabilities;
import io.skyforge.spi.storage.ObjectSummary;
import io.skyforge.spi.storage.PartPump;
import io.skyforge.spi.storage.Precondition;
import io.skyforge.spi.storage.PresignedUrl;
import io.skyforge.spi.storage.PutOptions;
import io.skyforge.spi.storage.StoreHealth;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Azure storage account through the Azure SDK for Java: a container is a physical bucket, a put of
 * unknown length stages blocks in parallel and commits the block list once the whole body was read
 * (so the content's SHA-256 is stored with the metadata), and presigned URLs are service SAS URLs
 * signed with the account key.
 *
 * <p>Uncommitted blocks of a failed upload are never visible; Azure discards them after a week, so
 * there is no abort call to make.
 */
final class AzureBlobObjectStore implements ObjectStore {

    static final String SHA256_META = ObjectKeys.RESERVED_METADATA_PREFIX + "sha256";
    private static final long MAX_OBJECT = 50_000L * 4000 * 1024 * 1024;

    private final AzureSettings settings;
    private final BlobServiceClient service;
    private final ExecutorService blockExecutor;
    private final PartPump pump;
    private final ObjectStoreCapabilities capabilities = new ObjectStoreCapabilities(
            true, true, true, true, true, true, false, ObjectKeys.MAX_KEY_BYTES, MAX_OBJECT);

    AzureBlobObjectStore(AzureSettings settings) {
        this.settings = settings;
        HttpClient http = new JdkHttpClientBuilder()
                .connectionTimeout(Duration.ofSeconds(10))
                .responseTimeout(settings.requestTimeout())
                .build();
        // Exponential delays from 200 ms to 20 s; the storage retry policy randomises each delay.
        RequestRetryOptions retry = new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, settings.maxAttempts(),
                (int) settings.requestTimeout().toSeconds(), 200L, 20_000L, null);
        this.service = new BlobServiceClientBuilder()
                .endpoint(settings.endpoint())
                .credential(new StorageSharedKeyCredential(settings.accountName(), settings.accountKey()))
                .httpClient(http)
                .retryOptions(retry)
                .buildClient();
        AtomicInteger threads = new AtomicInteger();
        this.blockExecutor = Executors.newFixedThreadPool(Math.max(8, settings.concurrency()), r -> {
            Thread t = new Thread(r, "azure-block-" + settings.cloud() + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.pump = new PartPump(settings.blockSize(), settings.concurrency(), blockExecutor);
    }

    @Override
    public String type() {
        return AzureBlobObjectStoreFactory.TYPE;
    }

    @Override
    public ObjectStoreCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public StoreHealth probe() {
        long start = System.nanoTime();
        try {
            Iterator<PagedResponse<com.azure.storage.blob.models.BlobContainerItem>> pages = service
                    .listBlobContainers(new ListBlobContainersOptions().setMaxResultsPerPage(1), Duration.ofSeconds(30))
                    .iterableByPage().iterator();
            if (pages.hasNext()) {
                pages.next().close();
            }
            return StoreHealth.up(Duration.ofNanos(System.nanoTime() - start));
        } catch (RuntimeException | IOException e) {
            SkyforgeException mapped = e instanceof RuntimeException r
                    ? AzureErrors.map(settings.cloud(), "probe " + settings.endpoint(), r)
                    : new SkyforgeException(ErrorCode.UNAVAILABLE, settings.cloud() + ": probe: " + e.getMessage(), e);
            return StoreHealth.down(Duration.ofNanos(System.nanoTime() - start), mapped.code(), mapped.getMessage());
        }
    }

    // ---------------------------------------------------------------- containers

    private BlobContainerClient container(String bucket) {
        ObjectKeys.validateBucket(bucket);
        return service.getBlobContainerClient(bucket);
    }

    @Override
    public boolean bucketExists(String bucket) {
        try {
            return container(bucket).exists();
        } catch (RuntimeException e) {
            throw AzureErrors.map(settings.cloud(), "check container '" + bucket + "'", e);
        }
    }

    @Override
    public boolean createBucket(String bucket) {
        try {
            return container(bucket).createIfNotExists();
        } catch (RuntimeException e) {
            throw AzureErrors.map(settings.cloud(), "create container '" + bucket + "'", e);
        }
    }

    @Override
    public void deleteBucket(String bucket) {
        BlobContainerClient c = container(bucket);
        try {
            if (!c.exists()) {
                return;
            }
            // Azure deletes a container with everything in it; the SPI promises to refuse a non-empty bucket.
            if (c.listBlobs(new ListBlobsOptions().setMaxResultsPerPage(1), null).iterator().hasNext()) {
                throw new SkyforgeException(ErrorCode.CONFLICT, settings.cloud() + ": container '" + bucket + "' is not empty");
            }
            c.deleteIfExists();
        } catch (RuntimeException e) {
            throw AzureErrors.map(settings.cloud(), "delete container '" + bucket + "'", e);
        }
    }

    // ---------------------------------------------------------------- put

    @Override
    public ObjectInfo put(String bucket, String key, InputStream data, PutOptions options) {
        ObjectKeys.validateKey(key);
        ObjectKeys.validateMetadata(options.userMetadata());
        capabilities.requireSupported(options, settings.cloud());
        BlockBlobClient blob = container(bucket).getBlobClient(key).getBlockBlobClient();
        String contentType = options.contentType() == null ? ObjectInfo.DEFAULT_CONTENT_TYPE : options.contentType();
        return pump.upload(data, options.contentLength(),
                new StagedTarget(bucket, key, blob, contentType, options.userMetadata(), conditions(options.precondition())));
    }

    private static BlobRequestConditions conditions(Precondition p) {
        BlobRequestConditions c = new BlobRequestConditions();
        switch (p.kind()) {
            case IF_ABSENT -> c.setIfNoneMatch("*");
            case IF_MATCH -> c.setIfMatch(ETags.quote(p.etag()));
            case NONE -> { }
        }
        return c;
    }

    private final class StagedTarget implements PartPump.Target<String> {
        private final String bucket;
        private final String key;
        private final BlockBlobClient blob;
        private final String contentType;
        private final Map<String, String> metadata;
        private final BlobRequestConditions conditions;
        // Block ids are per blob, not per upload: a random prefix keeps two concurrent uploads of one key apart.
        private final String uploadPrefix = UUID.randomUUID().toString();

        StagedTarget(String bucket, String key, BlockBlobClient blob, String contentType, Map<String, String> metadata,
                BlobRequestConditions conditions) {
            this.bucket = bucket;
            this.key = key;
            this.blob = blob;
            this.contentType = contentType;
            this.metadata = metadata;
            this.conditions = conditions;
        }

        private Map<String, String> storedMetadata(String sha256) {
            Map<String, String> stored = new HashMap<>(metadata);
            stored.put(SHA256_META, sha256);
            return stored;
        }

        @Override
        public ObjectInfo putWhole(byte[] data, int length, String sha256) {
            try {
                BlockBlobSimpleUploadOptions opts = new BlockBlobSimpleUploadOptions(
                        BinaryData.fromByteBuffer(ByteBuffer.wrap(data, 0, length)))
                        .setHeaders(new BlobHttpHeaders().setContentType(contentType))
                        .setMetadata(storedMetadata(sha256))
                        .setRequestConditions(conditions);
                Response<BlockBlobItem> r = blob.uploadWithResponse(opts, null, Context.NONE);
                return info(r.getValue(), length, sha256);
            } catch (RuntimeException e) {
                throw AzureErrors.map(settings.cloud(), "put '" + key + "' into '" + bucket + "'", e);
            }
        }

        @Override
        public void begin() {
            // Staged blocks need no session; the block list commit creates the blob.
        }

        @Override
        public String uploadPart(int number, byte[] data, int length) {
            String id = blockId(number);
            try {
                blob.stageBlock(id, BinaryData.fromByteBuffer(ByteBuffer.wrap(data, 0, length)));
                return id;
            } catch (RuntimeException e) {
                throw AzureErrors.map(settings.cloud(), "stage block " + number + " of '" + key + "'", e);
            }
        }

        private String blockId(int number) {
            String raw = uploadPrefix + "-" + String.format("%06d", number);
            return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public ObjectInfo complete(List<String> blockIds, long size, String sha256) {
            try {
                BlockBlobCommitBlockListOptions opts = new BlockBlobCommitBlockListOptions(blockIds)
                        .setHeaders(new BlobHttpHeaders().setContentType(contentType))
                        .setMetadata(storedMetadata(sha256))
                        .setRequestConditions(conditions);
                Response<BlockBlobItem> r = blob.commitBlockListWithResponse(opts, null, Context.NONE);
                return info(r.getValue(), size, sha256);
            } catch (RuntimeException e) {
                throw AzureErrors.map(settings.cloud(), "commit blocks of '" + key + "'", e);
            }
        }

        @Override
        public void abort() {
            // Nothing to do: uncommitted blocks are invisible and expire on their own.
        }

        private ObjectInfo info(BlockBlobItem item, long size, String sha256) {
            Instant modified = item.getLastModified() == null ? null : item.getLastModified().toInstant();
            return new ObjectInfo(key, size, item.getETag(), modified, contentType, metadata, sha256);
        }
    }

    // ---------------------------------------------------------------- get / head

    @Override
    public ObjectContent get(String bucket, String key, ByteRange range) {
        ObjectKeys.validateKey(key);
        BlobClient blob = container(bucket).getBlobClient(key);
        BlobInputStreamOptions opts = new BlobInputStreamOptions().setBlockSize(4 * 1024 * 1024);
        if (!range.isAll()) {
            opts.setRange(range.length() == ByteRange.TO_END ? new BlobRange(range.offset()) : new BlobRange(range.offset(), range.length()));
        }
        BlobInputStream in;
        try {
            in = blob.openInputStream(opts);
        } catch (RuntimeException e) {
            SkyforgeException mapped = AzureErrors.map(settings.cloud(), "get '" + key + "' from '" + bucket + "'", e);
            if (mapped.code() == ErrorCode.VALIDATION) {
                throw new SkyforgeException(ErrorCode.VALIDATION, "range " + range.httpHeader() + " starts past the end of '"
                        + key + "'", e);
            }
            throw mapped;
        }
        ObjectInfo info = info(key, in.getProperties());
        if (range.offset() > 0 && range.offset() >= info.size()) {
            closeQuietly(in);
            throw new SkyforgeException(ErrorCode.VALIDATION, "range " + range.httpHeader() + " starts past the end of '"
                    + key + "' (" + info.size() + " bytes)");
        }
        return new ObjectContent(info, range.offset(), range.lengthWithin(info.size()), in);
    }

    @Override
    public Optional<ObjectInfo> head(String bucket, String key) {
        ObjectKeys.validateKey(key);
        try {
            return Optional.of(info(key, container(bucket).getBlobClient(key).getProperties()));
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404 && !"ContainerNotFound".equals(String.valueOf(e.getErrorCode()))) {
                return Optional.empty();
            }
            throw AzureErrors.map(settings.cloud(), "head '" + key + "' in '" + bucket + "'", e);
        } catch (RuntimeException e) {
            throw AzureErrors.map(settings.cloud(), "head '" + key + "' in '" + bucket + "'", e);
        }
    }

    private static ObjectInfo info(String key, BlobProperties p) {
        Map<String, String> meta = new HashMap<>(p.getMetadata() == null ? Map.of() : p.getMetadata());
        String sha = meta.remove(SHA256_META);
        Instant modified = p.getLastModified() == null ? null : p.getLastModified().toInstant();
        return new ObjectInfo(key, p.getBlobSize(), p.getETag(), modified, p.getContentType(), meta, sha);
    }

    // ---------------------------------------------------------------- list / delete / copy

    @Override
    public ListPage list(String bucket, ListRequest request) {
        BlobContainerClient c = container(bucket);
        ListBlobsOptions opts = new ListBlobsOptions().setMaxResultsPerPage(request.maxKeys());
        if (!request.prefix().isEmpty()) {
            opts.setPrefix(request.prefix());
        }
        try {
            var iterable = request.delimiter() == null
                    ? c.listBlobs(opts, request.token(), settings.requestTimeout())
                    : c.listBlobsByHierarchy(request.delimiter(), opts, settings.requestTimeout());
            Iterator<PagedResponse<BlobItem>> pages = iterable.iterableByPage(request.token(), request.maxKeys()).iterator();
            if (!pages.hasNext()) {
                return new ListPage(List.of(), List.of(), null);
            }
            try (PagedResponse<BlobItem> page = pages.next()) {
                List<ObjectSummary> objects = new ArrayList<>();
                List<String> prefixes = new ArrayList<>();
                for (BlobItem item : page.getValue()) {
                    if (Boolean.TRUE.equals(item.isPrefix())) {
                        prefixes.add(item.getName());
                    } else {
                        var p = item.getProperties();
                        objects.add(new ObjectSummary(item.getName(), p.getContentLength() == null ? 0 : p.getContentLength(),
                                p.getETag(), p.getLastModified() == null ? null : p.getLastModified().toInstant()));
                    }
                }
                String next = page.getContinuationToken();
                return new ListPage(objects, prefixes, next == null || next.isEmpty() ? null : next);
            }
        } catch (RuntimeException e) {
            throw AzureErrors.map(settings.cloud(), "list '" + bucket + "'", e);
        } catch (IOException e) {
            throw new SkyforgeException(ErrorCode.IO, settings.cloud() + ": list '" + bucket + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String bucket, String key) {
        ObjectKeys.validateKey(key);
        try {
            container(bucket).getBlobClient(key).deleteWithResponse(DeleteSnapshotsOptionType.INCLUDE, null, null, Context.NONE);
        } catch (BlobStorageException e) {
            if ("BlobNotFound".equals(String.valueOf(e.getErrorCode()))) {
                return;
            }
            throw AzureErrors.map(settings.cloud(), "delete '" + key + "' from '" + bucket + "'", e);
        } catch (RuntimeException e) {
            throw AzureErrors.map(settings.cloud(), "delete '" + key + "' from '" + bucket + "'", e);
        }
    }

    @Override
    public ObjectInfo copy(String sourceBucket, String sourceKey, String targetBucket, String targetKey) {
        ObjectKeys.validateKey(sourceKey);
        ObjectKeys.validateKey(targetKey);
        BlobClient source = container(sourceBucket).getBlobClient(sourceKey);
        BlobClient target = container(targetBucket).getBlobClient(targetKey);
        if (head(sourceBucket, sourceKey).isEmpty()) {
            throw new SkyforgeException(ErrorCode.NOT_FOUND, settings.cloud() + ": object '" + sourceKey
                    + "' not found in container '" + sourceBucket + "'");
        }
        try {
            // Copy Blob within one account needs no SAS on the source; metadata and headers come along.
            target.beginCopy(source.getBlobUrl(), Duration.ofMillis(100)).waitForCompletion(settings.requestTimeout());
            return info(targetKey, target.getProperties());
        } catch (RuntimeException e) {
            throw AzureErrors.map(settings.cloud(), "copy '" + sourceKey + "' to '" + targetBucket + "/" + targetKey + "'", e);
        }
    }

    @Override
    public PresignedUrl presign(String bucket, String key, PresignedUrl.Method method, Duration ttl) {
        ObjectKeys.validateKey(key);
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(7)) > 0) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "a SAS URL lives between 1 second and 7 days here, not " + ttl);
        }
        BlobClient blob = container(bucket).getBlobClient(key);
        OffsetDateTime expiry = OffsetDateTime.now(ZoneOffset.UTC).plus(ttl);
        BlobSasPermission permission = method == PresignedUrl.Method.GET
                ? new BlobSasPermission().setReadPermission(true)
                : new BlobSasPermission().setCreatePermission(true).setWritePermission(true);
        String sas = blob.generateSas(new BlobServiceSasSignatureValues(expiry, permission));
        Map<String, String> headers = method == PresignedUrl.Method.PUT ? Map.of("x-ms-blob-type", "BlockBlob") : Map.of();
        return new PresignedUrl(URI.create(blob.getBlobUrl() + "?" + sas), method, expiry.toInstant(), headers);
    }

    @Override
    public void close() {
        blockExecutor.shutdownNow();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Already failing with a clearer error.
        }
    }
}
