package io.skyforge.testkit.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3 endpoint in this JVM: S3Proxy over its NIO.2 filesystem blob store, listening on
 * {@code 127.0.0.1} on a free port. Used by the S3 adapter's compatibility tests, the storage
 * benchmark and {@code skyforge demo}.
 *
 * <p>S3Proxy 2.6.0 ignores {@code If-None-Match}/{@code If-Match} on PUT, so a client of this server
 * must not claim conditional writes (the S3 adapter's {@code conditionalWrites=false}).
 */
public final class S3ProxyServer implements AutoCloseable {

    /** Fixed, public test credentials: the server only listens on loopback. */
    public static final String ACCESS_KEY = "skyforge-local";
    public static final String SECRET_KEY = "skyforge-local-secret";
    public static final String REGION = "us-east-1";
    /**
     * S3Proxy's own NIO.2 filesystem store: jclouds' older "filesystem" store lists every directory as an
     * extra {@code dir/} object, which no real S3 service does.
     */
    static final String BACKEND = "filesystem-nio2";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final Path dataDir;
    private final URI endpoint;
    private boolean temporary;

    private S3ProxyServer(S3Proxy proxy, BlobStoreContext context, Path dataDir) {
        this.proxy = proxy;
        this.context = context;
        this.dataDir = dataDir;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** Starts a server keeping its buckets as directories under {@code dataDir}. */
    public static S3ProxyServer start(Path dataDir) {
        return start(dataDir, 0, UnaryOperator.identity());
    }

    /**
     * Starts a server on a given port (0: any free one): a test that stops a cloud's endpoint to
     * make it unhealthy starts it again where its clients expect it.
     */
    public static S3ProxyServer start(Path dataDir, int port) {
        return start(dataDir, port, UnaryOperator.identity());
    }

    /**
     * Starts a server whose blob store is wrapped by {@code around}: a test counts the writes that reach
     * the server this way (the sync engine's loop suppression is measured at the server, not the client).
     */
    public static S3ProxyServer start(Path dataDir, UnaryOperator<BlobStore> around) {
        return start(dataDir, 0, around);
    }

    private static S3ProxyServer start(Path dataDir, int port, UnaryOperator<BlobStore> around) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties overrides = new Properties();
        overrides.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder(BACKEND)
                .credentials(ACCESS_KEY, SECRET_KEY)
                .overrides(overrides)
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(around.apply(context.getBlobStore()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // The default 5 GiB single-part limit is fine; the benchmark's 1 GiB PUTs go through multipart anyway.
                .build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start within 30 s (state " + proxy.getState() + ")");
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            context.close();
            throw new IllegalStateException("could not start S3Proxy on 127.0.0.1: " + e.getMessage(), e);
        }
        return new S3ProxyServer(proxy, context, dataDir);
    }

    /** Starts a server in a fresh temporary directory, removed again by {@link #close()}. */
    public static S3ProxyServer startTemporary() {
        try {
            S3ProxyServer server = start(Files.createTempDirectory("skyforge-s3proxy-"));
            server.temporary = true;
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return proxy.getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop S3Proxy: " + e.getMessage(), e);
        } finally {
            context.close();
            if (temporary) {
                AzuriteServer.deleteTree(dataDir);
            }
        }
    }

    /**
     * Runs a standalone server until killed, printing its endpoint: for benchmarks and manual checks
     * ({@code java -cp ... io.skyforge.testkit.storage.S3ProxyServer DIR}).
     */
    public static void main(String[] args) throws InterruptedException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Path.of("target", "s3proxy-data");
        S3ProxyServer server = start(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("S3PROXY_ENDPOINT=" + server.endpoint());
        System.out.flush();
        Thread.currentThread().join();
    }
}
