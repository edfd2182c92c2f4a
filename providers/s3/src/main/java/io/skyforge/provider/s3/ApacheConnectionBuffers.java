package io.skyforge.provider.s3;

import java.lang.reflect.Field;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.http.config.ConnectionConfig;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;

/**
 * Larger connection buffers for the SDK's Apache client. Apache buffers 8 KiB each way per connection, and a request
 * body leaves in writes of that size: 131,072 system calls per GiB uploaded, each of which, on loopback, also runs
 * the receiving side's TCP path. At 64 KiB an upload takes an eighth of the calls; measured with the sync benchmark's
 * 64 x 16 MiB copies, the replicator's kernel time fell from 0.76-1.13 to 0.56-0.71 s per GiB (bench/README.md).
 *
 * <p>The SDK's builder does not expose Apache's {@link ConnectionConfig}, so the size is set on the connection pool
 * the SDK built, before it opened any connection, through the client's private field. That is tied to the SDK
 * version the build pins: if a later SDK moves the field, uploads still work with Apache's 8 KiB and a warning says
 * so once, and {@code ApacheConnectionBuffersTest} fails, so whoever upgrades sees it.
 */
final class ApacheConnectionBuffers {

    static final int SIZE = 64 * 1024;
    private static final Logger LOG = Logger.getLogger(ApacheConnectionBuffers.class.getName());
    private static volatile boolean warned;

    private ApacheConnectionBuffers() {
    }

    /** Gives {@code client}'s connections {@link #SIZE}-byte buffers; returns the client. */
    static SdkHttpClient enlarge(SdkHttpClient client) {
        PoolingHttpClientConnectionManager pool = pool(client);
        if (pool != null) {
            pool.setDefaultConnectionConfig(ConnectionConfig.custom().setBufferSize(SIZE).build());
        } else if (!warned) {
            warned = true;
            LOG.warning("this AWS SDK's Apache client hides its connection pool; S3 uploads use Apache's 8 KiB buffers");
        }
        return client;
    }

    /** The SDK's Apache connection pool, or null when this SDK version keeps it elsewhere. */
    static PoolingHttpClientConnectionManager pool(SdkHttpClient client) {
        try {
            Field field = ApacheHttpClient.class.getDeclaredField("httpClient");
            field.setAccessible(true);
            Object inner = field.get(client);
            Object manager = inner.getClass().getMethod("getHttpClientConnectionManager").invoke(inner);
            return manager instanceof PoolingHttpClientConnectionManager pool ? pool : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "no access to the SDK's Apache connection pool", e);
            return null;
        }
    }
}
