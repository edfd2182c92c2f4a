package io.skyforge.cli;

import io.skyforge.cli.StorageClient.SfUri;
import io.skyforge.control.job.ObjectStoreSink;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.spi.storage.ObjectStores;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An {@code --out} of {@code generate} that is a bucket: {@code sf://NS/BUCKET/PREFIX} (a logical
 * bucket, through the running server's data API) or {@code s3://BUCKET/PREFIX} (straight through
 * the S3 adapter). Parts go through the same {@link ObjectStoreSink} as a DataJob's, so the objects
 * and the manifest are the bytes {@code --out DIR} writes. The bucket is checked before anything is
 * generated, so a bad target fails at once with one line.
 */
final class BucketTarget implements AutoCloseable {

    private final ObjectStore store;
    private final String bucket;
    private final String prefix;
    private final ExecutorService uploads;

    private BucketTarget(ObjectStore store, String bucket, String prefix) {
        this.store = store;
        this.bucket = bucket;
        this.prefix = prefix;
        this.uploads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "generate-upload");
            t.setDaemon(true);
            return t;
        });
    }

    /** The target {@code out} names, or null when it is not a bucket URI. */
    static BucketTarget open(String out, GenerateCommand options) {
        if (out == null) {
            return null;
        }
        if (out.startsWith("sf://")) {
            return openSf(out, options);
        }
        if (out.startsWith("s3://")) {
            return openS3(out, options, System::getenv);
        }
        return null;
    }

    private static BucketTarget openSf(String out, GenerateCommand options) {
        SfUri u = SfUri.parse(out);
        ClientOptions client = new ClientOptions();
        client.server = options.server;
        client.token = options.token;
        String server = client.serverUrl();
        DataApiObjectStore store = new DataApiObjectStore(server, client.token());
        String bucket = u.namespace() + "/" + u.bucket();
        if (!store.bucketExists(bucket)) {
            throw new SkyforgeException(ErrorCode.BUCKET_NOT_FOUND, "LogicalBucket " + bucket + " does not exist on " + server
                    + "; apply one first (skyforge apply -f) or check the namespace");
        }
        return new BucketTarget(store, bucket, u.key());
    }

    static BucketTarget openS3(String out, GenerateCommand options, Function<String, String> env) {
        String rest = out.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "'" + out + "' is not s3://<bucket>/[prefix]");
        }
        String endpoint = first(options.s3Endpoint, env.apply("AWS_ENDPOINT_URL_S3"), env.apply("AWS_ENDPOINT_URL"));
        String region = first(options.s3Region, env.apply("AWS_REGION"), env.apply("AWS_DEFAULT_REGION"));
        // No keys here: the adapter's default AWS credential chain reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY,
        // the shared credentials file and instance roles, as the AWS CLI does.
        ObjectStoreConfig config = ObjectStoreConfig.builder("s3").name("s3://" + bucket).endpoint(endpoint).region(region)
                .pathStyle(options.s3PathStyle).build();
        List<Violation> problems = ObjectStores.validate(config);
        if (!problems.isEmpty()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "--out " + out + ": " + problems.stream()
                    .map(v -> v.path() + " " + v.message()).collect(Collectors.joining("; ")));
        }
        ObjectStore store = ObjectStores.open(config);
        try {
            if (!store.bucketExists(bucket)) {
                throw new SkyforgeException(ErrorCode.BUCKET_NOT_FOUND, "bucket '" + bucket + "' does not exist at "
                        + (endpoint == null ? "AWS S3 (" + (region == null ? "us-east-1" : region) + ")" : endpoint));
            }
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return new BucketTarget(store, bucket, prefix);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    ObjectStoreSink sink() {
        return new ObjectStoreSink(store, bucket, prefix, uploads, Map.of());
    }

    @Override
    public void close() {
        uploads.shutdownNow();
        store.close();
    }
}
