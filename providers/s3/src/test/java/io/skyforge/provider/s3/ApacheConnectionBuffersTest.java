package io.skyforge.provider.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;

class ApacheConnectionBuffersTest {

    @Test
    void shouldGiveTheConnectionsOfTheSdksApacheClientLargerBuffers() {
        try (SdkHttpClient client = ApacheConnectionBuffers.enlarge(ApacheHttpClient.builder().build())) {
            PoolingHttpClientConnectionManager pool = ApacheConnectionBuffers.pool(client);
            assertThat(pool).as("the SDK's connection pool, reached through ApacheHttpClient's private field").isNotNull();
            assertThat(pool.getDefaultConnectionConfig().getBufferSize()).isEqualTo(ApacheConnectionBuffers.SIZE);
        }
    }
}
