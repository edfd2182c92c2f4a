package io.skyforge.provider.s3;

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
import io.skyforge.spi.storage.ExactBody;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * An S3 endpoint through the AWS SDK for Java v2. Quirks handled here so callers never see them:
 * path-style addressing by default (most S3-compatible vendors and every private endpoint need it),
 * CRC checksum headers only when an operation requires them (S3Proxy and several vendors reject the
 * SDK's default ones), ETag quoting, HEAD 404s that do not say whether the bucket or the key is missing,
 * and uploads of unknown length as parallel multipart uploads that are aborted on any failure.
 *
 * <p>The SHA-256 of a single-request upload is kept as the {@code skyforge_sha256} metadata entry; a
 * multipart upload's metadata is fixed before its bytes are seen, so those report it only from
 * {@link #put}.
 */
final class S3ObjectStore implements ObjectStore {

    static final String SHA256_META = ObjectKeys.RESERVED_METADATA_PREFIX + "sha256";
    /** CopyObject handles at most 5 GiB; larger copies are streamed. */
    private static final long MAX_COPY = 5L * 1024 * 1024 * 1024;
    private static final long MAX_OBJECT = 5L * 1024 * 1024 * 1024 * 1024;

    private final S3Settings settings;
    private final S3Client s3;
    /** The same endpoint for uploads over {@link #EXPECT_CONTINUE_OVER} bytes: see {@link #client}. */
    private final S3Client s3Large;
    static final long EXPECT_CONTINUE_OVER = 1024 * 1024;
    private final S3Presigner presigner;
    private final ExecutorService partExecutor;
    private final PartPump pump;
    private final ObjectStoreCapabilities capabilities;
    /** The HTTP clients of {@link #s3} and {@link #s3Large}: built here (see {@link ApacheConnectionBuffers}), closed here. */
    private final List<SdkHttpClient> httpClients = new ArrayList<>();
    /**
     * Whether a request body is read only once, to send it: the SDK reads it a first time to hash it when it signs
     * payloads, which it does over plain http unless {@code unsignedPayload}; a body read once can come straight
     * from the caller's stream.
     */
    private final boolean streamableBodies;
    private static final long BUCKET_TRUST_NANOS = TimeUnit.SECONDS.toNanos(10);
    private final Map<String, Long> bucketsSeen = new ConcurrentHashMap<>();

    S3ObjectStore(S3Settings settings) {
        this.settings = settings;
        AwsCredentialsProvider credentials = settings.accessKey() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
        this.s3 = client(credentials, false);
        this.s3Large = client(credentials, true);
        S3Presigner.Builder presign = S3Presigner.builder()
                .s3Client(s3)
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
        if (settings.endpoint() != null) {
            presign.endpointOverride(settings.endpoint());
        }
        this.presigner = presign.build();
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "s3-part-" + settings.cloud() + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        // Shared by all uploads of this store; each upload bounds its own parts in flight with its buffers.
        this.partExecutor = Executors.newFixedThreadPool(Math.max(settings.concurrency(), Math.min(64, settings.maxConnections())), factory);
        this.pump = new PartPump(settings.partSize(), settings.concurrency(), partExecutor);
        this.capabilities = new ObjectStoreCapabilities(settings.conditionalWrites(), settings.conditionalWrites(),
                true, true, true, false, true, ObjectKeys.MAX_KEY_BYTES, MAX_OBJECT);
        this.streamableBodies = settings.unsignedPayload() || settings.endpoint() == null
                || "https".equals(settings.endpoint().getScheme());
    }

    /**
     * The SDK's client for this endpoint. With {@code expectContinue} a request with a body first sends its
     * headers and waits for the server's "100 Continue", which spares sending a large body into a refusal but costs
     * every upload a round trip (and the server a wake-up): only uploads over {@link #EXPECT_CONTINUE_OVER} bytes take
     * that client. For 64 KiB replication copies the wait was a round trip per object for nothing.
     */
    private S3Client client(AwsCredentialsProvider credentials, boolean expectContinue) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(settings.pathStyle())
                        // Over plain http the SDK would otherwise sign every 128 KiB chunk (aws-chunked);
                        // our bodies have known lengths, so one payload hash per request (or none, unsigned) is
                        // cheaper for us and for the server, and some S3-compatible servers reject aws-chunked.
                        .chunkedEncodingEnabled(false)
                        .build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(http(ApacheHttpClient.builder()
                        .maxConnections(settings.maxConnections())
                        .connectionTimeout(settings.connectTimeout())
                        .socketTimeout(settings.requestTimeout())
                        .expectContinueEnabled(expectContinue)
                        .build()))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(settings.maxAttempts())
                                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(20)))
                                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(500), Duration.ofSeconds(20)))
                                .build())
                        .apiCallAttemptTimeout(settings.requestTimeout())
                        .build());
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        if (settings.unsignedPayload()) {
            builder.putAuthScheme(new UnsignedPayloadAuthScheme());
        }
        return builder.build();
    }

    private SdkHttpClient http(SdkHttpClient client) {
        httpClients.add(client);
        return ApacheConnectionBuffers.enlarge(client);
    }

    @Override
    public String type() {
        return S3ObjectStoreFactory.TYPE;
    }

    @Override
    public ObjectStoreCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public StoreHealth probe() {
        long start = System.nanoTime();
        try {
            if (settings.probeBucket() != null) {
                s3.headBucket(b -> b.bucket(settings.probeBucket()));
            } else {
                s3.listBuckets(b -> b.maxBuckets(1));
            }
            return StoreHealth.up(Duration.ofNanos(System.nanoTime() - start));
        } catch (SdkException e) {
            SkyforgeException mapped = S3Errors.map(settings.cloud(), "probe " + endpointText(), e);
            return StoreHealth.down(Duration.ofNanos(System.nanoTime() - start), mapped.code(), mapped.getMessage());
        }
    }

    private String endpointText() {
        return settings.endpoint() == null ? "AWS S3 " + settings.region() : settings.endpoint().toString();
    }

    // ---------------------------------------------------------------- buckets

    @Override
    public boolean bucketExists(String bucket) {
        validBucket(bucket);
        try {
            s3.headBucket(b -> b.bucket(bucket));
            bucketsSeen.put(bucket, System.nanoTime());
            return true;
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                bucketsSeen.remove(bucket);
                return false;
            }
            throw S3Errors.map(settings.cloud(), "head bucket '" + bucket + "'", e);
        } catch (SdkException e) {
            throw S3Errors.map(settings.cloud(), "head bucket '" + bucket + "'", e);
        }
    }

    @Override
    public boolean createBucket(String bucket) {
        validBucket(bucket);
        if (bucketExists(bucket)) {
            return false;
        }
        try {
            CreateBucketRequest.Builder req = CreateBucketRequest.builder().bucket(bucket);
            if (!settings.region().equals("us-east-1") && settings.endpoint() == null) {
                req.createBucketConfiguration(c -> c.locationConstraint(settings.region()));
            }
            s3.createBucket(req.build());
            return true;
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if ("BucketAlreadyOwnedByYou".equals(code)) {
                return false;
            }
            throw S3Errors.map(settings.cloud(), "create bucket '" + bucket + "'", e);
        } catch (SdkException e) {
            throw S3Errors.map(settings.cloud(), "create bucket '" + bucket + "'", e);
        }
    }

    @Override
    public void deleteBucket(String bucket) {
        validBucket(bucket);
        bucketsSeen.remove(bucket);
        try {
            s3.deleteBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            SkyforgeException mapped = S3Errors.map(settings.cloud(), "delete bucket '" + bucket + "'", e);
            if (mapped.code() != ErrorCode.BUCKET_NOT_FOUND && mapped.code() != ErrorCode.NOT_FOUND) {
                throw mapped;
            }
        }
    }

    /** Compiled once: every request checks its bucket name. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private static void validBucket(String bucket) {
        // S3 also allows dots, which existing buckets may have; path-style addressing copes with them.
        if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            ObjectKeys.validateBucket(bucket);
        }
    }

    // ---------------------------------------------------------------- put

    @Override
    public ObjectInfo put(String bucket, String key, InputStream data, PutOptions options) {
        validBucket(bucket);
        ObjectKeys.validateKey(key);
        ObjectKeys.validateMetadata(options.userMetadata());
        Precondition precondition = options.precondition();
        if (!capabilities.supports(precondition)) {
            throw new SkyforgeException(ErrorCode.UNSUPPORTED, settings.cloud() + ": conditional writes (" + precondition.kind()
                    + ") are not enabled for this S3 endpoint (options.conditionalWrites=false)");
        }
        capabilities.requireSupported(options, settings.cloud());
        String contentType = options.contentType() == null ? ObjectInfo.DEFAULT_CONTENT_TYPE : options.contentType();
        MultipartTarget target = new MultipartTarget(bucket, key, contentType, options.userMetadata(), precondition, options.contentMd5());
        long length = options.contentLength();
        if (options.sha256() != null && options.lengthKnown() && length <= settings.multipartThreshold() && streamableBodies) {
            // Nothing to learn from the bytes first (their hash is known): one request, no part buffer, no copy.
            return target.putStreamed(data, length, options.sha256());
        }
        InputStream body = data;
        if (options.contentMd5() != null && !(options.lengthKnown() && length <= settings.partSize())) {
            // Parts: S3 checks no whole-object MD5, so it is checked here, with the caller's SHA-256 when there is
            // one (it describes the same bytes and costs half as much CPU as MD5).
            body = options.sha256() != null ? ExactBody.sha256(data, length, options.sha256())
                    : ExactBody.md5(data, length, options.contentMd5());
        }
        return pump.upload(body, length, options.sha256(), target);
    }

    /**
     * The content MD5 an S3 ETag stands for: that of an object sent in one request and not encrypted with KMS or
     * a customer key (those ETags are opaque, as are multipart ones, which carry a "-N" suffix).
     */
    static String md5OfEtag(String etag, ServerSideEncryption sse, String sseCustomerAlgorithm) {
        String e = ETags.unquote(etag);
        if (e == null || sseCustomerAlgorithm != null || sse == ServerSideEncryption.AWS_KMS || sse == ServerSideEncryption.AWS_KMS_DSSE
                || !MD5_HEX.matcher(e).matches()) {
            return null;
        }
        return e;
    }

    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");

    /** One upload: either a single PutObject or a multipart upload, decided by the pump. */
    private final class MultipartTarget implements PartPump.Target<CompletedPart> {
        private final String bucket;
        private final String key;
        private final String contentType;
        private final Map<String, String> metadata;
        private final Precondition precondition;
        private final String contentMd5;
        private volatile String uploadId;

        MultipartTarget(String bucket, String key, String contentType, Map<String, String> metadata, Precondition precondition,
                        String contentMd5) {
            this.bucket = bucket;
            this.key = key;
            this.contentType = contentType;
            this.metadata = metadata;
            this.precondition = precondition;
            this.contentMd5 = contentMd5;
        }

        @Override
        public ObjectInfo putWhole(byte[] data, int length, String sha256) {
            try {
                PutObjectResponse r = uploader(length).putObject(singleRequest(length, sha256), body(data, length));
                return written(r, length, sha256);
            } catch (SdkException e) {
                throw S3Errors.map(settings.cloud(), "put '" + key + "' into '" + bucket + "'", e);
            }
        }

        /**
         * One PutObject whose body comes straight from the caller's stream. The stream can be sent once only, so
         * the SDK cannot retry this request by itself; the caller (replication) retries the whole copy.
         */
        ObjectInfo putStreamed(InputStream data, long length, String sha256) {
            ExactBody body = ExactBody.of(data, length);
            AtomicBoolean opened = new AtomicBoolean();
            RequestBody requestBody = RequestBody.fromContentProvider(() -> {
                if (!opened.compareAndSet(false, true)) {
                    throw new SpentBody();
                }
                return body;
            }, length, ObjectInfo.DEFAULT_CONTENT_TYPE);
            try {
                return written(uploader(length).putObject(singleRequest(length, sha256), requestBody), length, sha256);
            } catch (SdkException | SpentBody e) {
                ExactBody.MismatchException mismatch = body.mismatch();
                if (mismatch != null) {
                    throw new SkyforgeException(mismatch.length() ? ErrorCode.VALIDATION : ErrorCode.IO,
                            mismatch.getMessage() + "; nothing was stored", e);
                }
                if (body.readFailure() != null) {
                    throw new SkyforgeException(ErrorCode.IO, "reading the upload body failed: " + body.readFailure().getMessage(), e);
                }
                if (e instanceof SdkException sdk) {
                    throw S3Errors.map(settings.cloud(), "put '" + key + "' into '" + bucket + "'", sdk);
                }
                // The first attempt broke off and the SDK wanted to send the body again.
                throw new SkyforgeException(ErrorCode.IO, settings.cloud() + ": put '" + key + "' into '" + bucket
                        + "' broke off and its streamed body cannot be sent twice", e);
            }
        }

        private PutObjectRequest singleRequest(long length, String sha256) {
            Map<String, String> stored = new HashMap<>(metadata);
            stored.put(SHA256_META, sha256);
            PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(bucket).key(key)
                    .contentType(contentType).contentLength(length).metadata(stored);
            if (contentMd5 != null) {
                // The server refuses the body (BadDigest) unless it has this MD5: a check that costs us nothing.
                req.contentMD5(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(contentMd5)));
            }
            if (precondition.kind() == Precondition.Kind.IF_ABSENT) {
                req.ifNoneMatch("*");
            } else if (precondition.kind() == Precondition.Kind.IF_MATCH) {
                req.ifMatch(ETags.quote(precondition.etag()));
            }
            return req.build();
        }

        private ObjectInfo written(PutObjectResponse r, long length, String sha256) {
            return new ObjectInfo(key, length, r.eTag(), null, contentType, metadata, sha256,
                    md5OfEtag(r.eTag(), r.serverSideEncryption(), r.sseCustomerAlgorithm()));
        }

        @Override
        public void begin() {
            try {
                uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType).metadata(metadata))
                        .uploadId();
            } catch (SdkException e) {
                throw S3Errors.map(settings.cloud(), "start multipart upload of '" + key + "' into '" + bucket + "'", e);
            }
        }

        @Override
        public CompletedPart uploadPart(int number, byte[] data, int length) {
            try {
                String etag = s3Large.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                        .contentLength((long) length), body(data, length)).eTag();
                return CompletedPart.builder().partNumber(number).eTag(etag).build();
            } catch (SdkException e) {
                throw S3Errors.map(settings.cloud(), "upload part " + number + " of '" + key + "'", e);
            }
        }

        @Override
        public ObjectInfo complete(List<CompletedPart> parts, long size, String sha256) {
            CompleteMultipartUploadRequest.Builder req = CompleteMultipartUploadRequest.builder()
                    .bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts));
            if (precondition.kind() == Precondition.Kind.IF_ABSENT) {
                req.ifNoneMatch("*");
            } else if (precondition.kind() == Precondition.Kind.IF_MATCH) {
                req.ifMatch(ETags.quote(precondition.etag()));
            }
            try {
                CompleteMultipartUploadResponse r = s3.completeMultipartUpload(req.build());
                return new ObjectInfo(key, size, r.eTag(), null, contentType, metadata, sha256);
            } catch (SdkException e) {
                abort();
                throw S3Errors.map(settings.cloud(), "complete multipart upload of '" + key + "'", e);
            }
        }

        @Override
        public void abort() {
            if (uploadId == null) {
                return;
            }
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException ignored) {
                // Best effort: a lifecycle rule on the bucket reaps what an abort could not.
            }
        }
    }

    /** The SDK asked a second time for a body that streams from the caller and was already sent. */
    private static final class SpentBody extends IllegalStateException {
        SpentBody() {
            super("a streamed body was already sent once and cannot be sent again");
        }
    }

    private S3Client uploader(long length) {
        return length > EXPECT_CONTINUE_OVER ? s3Large : s3;
    }

    private static RequestBody body(byte[] data, int length) {
        // A content provider, not fromBytes: no defensive copy of the part, and retries re-read the same buffer.
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, length), length, ObjectInfo.DEFAULT_CONTENT_TYPE);
    }

    // ---------------------------------------------------------------- get / head

    @Override
    public ObjectContent get(String bucket, String key, ByteRange range) {
        validBucket(bucket);
        ObjectKeys.validateKey(key);
        GetObjectRequest.Builder req = GetObjectRequest.builder().bucket(bucket).key(key);
        if (!range.isAll()) {
            req.range(range.httpHeader());
        }
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(req.build());
        } catch (SdkException e) {
            SkyforgeException mapped = S3Errors.map(settings.cloud(), "get '" + key + "' from '" + bucket + "'", e);
            if (mapped.code() == ErrorCode.VALIDATION) {
                throw new SkyforgeException(ErrorCode.VALIDATION, "range " + range.httpHeader() + " starts past the end of '"
                        + key + "'", e);
            }
            throw mapped;
        }
        GetObjectResponse r = in.response();
        long length = r.contentLength() == null ? 0 : r.contentLength();
        long total = length;
        long offset = 0;
        if (r.contentRange() != null) {
            // "bytes 100-199/1000"
            String cr = r.contentRange();
            int space = cr.indexOf(' ');
            int dash = cr.indexOf('-');
            int slash = cr.indexOf('/');
            offset = Long.parseLong(cr.substring(space + 1, dash));
            if (!cr.endsWith("/*")) {
                total = Long.parseLong(cr.substring(slash + 1));
            }
        }
        Map<String, String> meta = new HashMap<>(r.metadata());
        String sha = meta.remove(SHA256_META);
        // A range's ETag still describes the whole object, and so does its MD5.
        ObjectInfo info = new ObjectInfo(key, total, r.eTag(), r.lastModified(), r.contentType(), meta, sha,
                md5OfEtag(r.eTag(), r.serverSideEncryption(), r.sseCustomerAlgorithm()));
        // Callers read in small pieces (an HTTP client sending the bytes on reads 4 KiB at a time), and each piece
        // would be its own socket read: a buffer turns a large body's hundreds of thousands of reads into a few.
        return new ObjectContent(info, offset, length, length > READ_BUFFER ? new BufferedInputStream(in, READ_BUFFER) : in);
    }

    private static final int READ_BUFFER = 256 * 1024;

    @Override
    public Optional<ObjectInfo> head(String bucket, String key) {
        validBucket(bucket);
        ObjectKeys.validateKey(key);
        try {
            HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(key));
            Map<String, String> meta = new HashMap<>(r.metadata());
            String sha = meta.remove(SHA256_META);
            return Optional.of(new ObjectInfo(key, r.contentLength(), r.eTag(), r.lastModified(), r.contentType(), meta, sha,
                    md5OfEtag(r.eTag(), r.serverSideEncryption(), r.sseCustomerAlgorithm())));
        } catch (AwsServiceException e) {
            // A HEAD answer has no body, so a 404 does not say whether the bucket or the key is missing.
            if (e.statusCode() == 404) {
                if (!bucketExists(bucket)) {
                    throw new SkyforgeException(ErrorCode.BUCKET_NOT_FOUND, settings.cloud() + ": bucket '" + bucket + "' does not exist", e);
                }
                return Optional.empty();
            }
            throw S3Errors.map(settings.cloud(), "head '" + key + "' in '" + bucket + "'", e);
        } catch (SdkException e) {
            throw S3Errors.map(settings.cloud(), "head '" + key + "' in '" + bucket + "'", e);
        }
    }

    // ---------------------------------------------------------------- list / delete / copy

    @Override
    public ListPage list(String bucket, ListRequest request) {
        validBucket(bucket);
        ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(bucket).maxKeys(request.maxKeys())
                .encodingType(EncodingType.URL);
        if (!request.prefix().isEmpty()) {
            req.prefix(request.prefix());
        }
        if (request.delimiter() != null) {
            req.delimiter(request.delimiter());
        }
        if (request.token() != null) {
            req.continuationToken(request.token());
        }
        try {
            ListObjectsV2Response r = s3.listObjectsV2(req.build());
            List<ObjectSummary> objects = new ArrayList<>(r.contents().size());
            for (S3Object o : r.contents()) {
                objects.add(new ObjectSummary(o.key(), o.size() == null ? 0 : o.size(), o.eTag(), o.lastModified()));
            }
            List<String> prefixes = r.commonPrefixes().stream().map(CommonPrefix::prefix).toList();
            String next = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
            return new ListPage(objects, prefixes, next);
        } catch (SdkException e) {
            throw S3Errors.map(settings.cloud(), "list '" + bucket + "'", e);
        }
    }

    @Override
    public void delete(String bucket, String key) {
        validBucket(bucket);
        ObjectKeys.validateKey(key);
        requireBucketRecentlySeen(bucket);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            SkyforgeException mapped = S3Errors.map(settings.cloud(), "delete '" + key + "' from '" + bucket + "'", e);
            if (mapped.code() == ErrorCode.NOT_FOUND) {
                return;
            }
            throw mapped;
        }
    }

    /**
     * Some S3 implementations (S3Proxy among them) answer DELETE on a missing bucket with 204, which
     * would hide a misconfigured bucket behind "idempotent delete". Checking costs a HEAD, so a bucket
     * seen within the last seconds is trusted.
     */
    private void requireBucketRecentlySeen(String bucket) {
        Long seen = bucketsSeen.get(bucket);
        if (seen != null && System.nanoTime() - seen < BUCKET_TRUST_NANOS) {
            return;
        }
        if (!bucketExists(bucket)) {
            throw new SkyforgeException(ErrorCode.BUCKET_NOT_FOUND, settings.cloud() + ": bucket '" + bucket + "' does not exist");
        }
    }

    @Override
    public ObjectInfo copy(String sourceBucket, String sourceKey, String targetBucket, String targetKey) {
        validBucket(sourceBucket);
        validBucket(targetBucket);
        ObjectKeys.validateKey(sourceKey);
        ObjectKeys.validateKey(targetKey);
        ObjectInfo source = head(sourceBucket, sourceKey).orElseThrow(() -> new SkyforgeException(ErrorCode.NOT_FOUND,
                settings.cloud() + ": object '" + sourceKey + "' not found in bucket '" + sourceBucket + "'"));
        if (source.size() > MAX_COPY) {
            try (ObjectContent in = get(sourceBucket, sourceKey)) {
                return put(targetBucket, targetKey, in.stream(), PutOptions.DEFAULT.withContentType(source.contentType())
                        .withUserMetadata(source.userMetadata()).withContentLength(source.size()));
            }
        }
        try {
            CopyObjectResponse r = s3.copyObject(b -> b.sourceBucket(sourceBucket).sourceKey(sourceKey)
                    .destinationBucket(targetBucket).destinationKey(targetKey).metadataDirective(MetadataDirective.COPY));
            return new ObjectInfo(targetKey, source.size(), r.copyObjectResult().eTag(), r.copyObjectResult().lastModified(),
                    source.contentType(), source.userMetadata(), source.sha256());
        } catch (SdkException e) {
            throw S3Errors.map(settings.cloud(), "copy '" + sourceKey + "' to '" + targetBucket + "/" + targetKey + "'", e);
        }
    }

    @Override
    public PresignedUrl presign(String bucket, String key, PresignedUrl.Method method, Duration ttl) {
        validBucket(bucket);
        ObjectKeys.validateKey(key);
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(7)) > 0) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "a presigned URL lives between 1 second and 7 days, not " + ttl);
        }
        try {
            URI url;
            Map<String, String> headers = new HashMap<>();
            if (method == PresignedUrl.Method.GET) {
                url = presigner.presignGetObject(p -> p.signatureDuration(ttl).getObjectRequest(g -> g.bucket(bucket).key(key)))
                        .url().toURI();
            } else {
                var signed = presigner.presignPutObject(p -> p.signatureDuration(ttl).putObjectRequest(g -> g.bucket(bucket).key(key)));
                url = signed.url().toURI();
                signed.signedHeaders().forEach((name, values) -> {
                    if (!name.equalsIgnoreCase("host")) {
                        headers.put(name, String.join(",", values));
                    }
                });
            }
            return new PresignedUrl(url, method, Instant.now().plus(ttl), headers);
        } catch (URISyntaxException e) {
            throw new SkyforgeException(ErrorCode.INTERNAL, "the SDK produced an invalid URL", e);
        } catch (SdkException e) {
            throw S3Errors.map(settings.cloud(), "presign '" + key + "'", e);
        }
    }

    @Override
    public void close() {
        partExecutor.shutdownNow();
        presigner.close();
        s3.close();
        s3Large.close();
        httpClients.forEach(SdkHttpClient::close);
    }
}
