package io.skyforge.provider.s3;

import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.testkit.storage.S3ProxyServer;

final class S3TestConfigs {

    private S3TestConfigs() {
    }

    /** 5 MiB parts, 3 in flight: the 64 MiB kit test then goes multipart with little heap. */
    static ObjectStoreConfig.Builder s3proxy(S3ProxyServer server) {
        return ObjectStoreConfig.builder("s3").name("s3proxy")
                .endpoint(server.endpoint().toString())
                .region(S3ProxyServer.REGION)
                .accessKey(S3ProxyServer.ACCESS_KEY)
                .secretKey(S3ProxyServer.SECRET_KEY)
                .pathStyle(true)
                .option("part_size", "5MiB")
                .option("concurrency", "3")
                // S3Proxy 2.6 ignores If-None-Match/If-Match on PUT; claiming them would be a lie.
                .option("conditional_writes", "false");
    }
}
