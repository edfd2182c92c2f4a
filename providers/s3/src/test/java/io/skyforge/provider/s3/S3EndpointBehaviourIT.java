package io.skyforge.provider.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ObjectInfo;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStores;
import io.skyforge.spi.storage.PutOptions;
import io.skyforge.spi.storage.StoreHealth;
import io.skyforge.testkit.storage.GeneratedInputStream;
import io.skyforge.testkit.storage.RequiredServices;
import io.skyforge.testkit.storage.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the S3 adapter must get right beyond the kit: credentials, outages, and what other clients see. */
class S3EndpointBehaviourIT {

    static S3ProxyServer server;
    static ObjectStore store;

    @BeforeAll
    static void start() {
        server = RequiredServices.start("S3Proxy", S3ProxyServer::startTemporary);
        store = ObjectStores.open(S3TestConfigs.s3proxy(server).build());
        store.createBucket("witness");
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldReportWrongCredentialsAsAccessDeniedWithoutPrintingTheSecret() {
        String secret = "wrong-secret-0123456789";
        try (ObjectStore bad = ObjectStores.open(S3TestConfigs.s3proxy(server).secretKey(secret).option("max_attempts", "1").build())) {
            StoreHealth health = bad.probe();
            assertThat(health.up()).isFalse();
            assertThat(health.error()).isEqualTo(ErrorCode.ACCESS_DENIED);
            assertThat(health.message()).doesNotContain(secret);
            assertThatThrownBy(() -> bad.put("witness", "k", new ByteArrayInputStream(new byte[1]), PutOptions.DEFAULT))
                    .isInstanceOfSatisfying(SkyforgeException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
                        assertThat(e.getMessage()).doesNotContain(secret);
                    });
        }
    }

    @Test
    void shouldReportUnreachableEndpointAsUnavailableQuickly() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (ObjectStore down = ObjectStores.open(S3TestConfigs.s3proxy(server).endpoint("http://127.0.0.1:" + port)
                .option("max_attempts", "2").option("connect_timeout", "1").build())) {
            long start = System.nanoTime();
            StoreHealth health = down.probe();
            assertThat(health.up()).isFalse();
            assertThat(health.error()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(ErrorCode.UNAVAILABLE.retryable()).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
        }
    }

    @Test
    void shouldKeepSha256OfSingleRequestUploadsInMetadata() {
        ObjectInfo written = store.put("witness", "small.bin", new ByteArrayInputStream(new byte[] {1, 2, 3}), PutOptions.DEFAULT);
        ObjectInfo head = store.head("witness", "small.bin").orElseThrow();
        assertThat(head.sha256()).isEqualTo(written.sha256());
        assertThat(head.userMetadata()).doesNotContainKey(S3ObjectStore.SHA256_META);
    }

    @Test
    void shouldStoreBodiesSentAsUnsignedPayloadOverPlainHttpWhole() {
        try (ObjectStore unsigned = ObjectStores.open(S3TestConfigs.s3proxy(server).option("unsigned_payload", "true").build())) {
            byte[] small = "unsigned, still whole".getBytes(StandardCharsets.UTF_8);
            ObjectInfo one = unsigned.put("witness", "unsigned/one.txt", new ByteArrayInputStream(small),
                    PutOptions.DEFAULT.withContentLength(small.length).withUserMetadata(Map.of("colour", "blue")));
            try (var c = store.get("witness", "unsigned/one.txt")) {
                assertThat(c.readAllBytes()).isEqualTo(small);
                assertThat(c.info().userMetadata()).containsEntry("colour", "blue");
                assertThat(c.info().sha256()).isEqualTo(one.sha256());
            }
            long size = 11L * 1024 * 1024;
            ObjectInfo parts = unsigned.put("witness", "unsigned/parts.bin", new GeneratedInputStream(size, 4), PutOptions.DEFAULT);
            assertThat(parts.etag()).as("an 11 MiB upload with 5 MiB parts is multipart").contains("-");
            try (var c = store.get("witness", "unsigned/parts.bin")) {
                assertThat(GeneratedInputStream.sha256(c.stream())).isEqualTo(GeneratedInputStream.expectedSha256(size, 4));
            }
        }
    }

    @Test
    void shouldWriteObjectsTheAwsCliReadsBackByteIdentical(@TempDir Path tmp) throws Exception {
        long size = 12L * 1024 * 1024;
        ObjectInfo written = store.put("witness", "cli/multi part+name.bin", new GeneratedInputStream(size, 9), PutOptions.DEFAULT);
        assertThat(written.etag()).as("a 12 MiB upload with 5 MiB parts is multipart").contains("-");
        Path out = tmp.resolve("out.bin");
        Process p = aws(tmp, "s3", "cp", "s3://witness/cli/multi part+name.bin", out.toString());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("aws.log"))).isZero();
        assertThat(Files.size(out)).isEqualTo(size);
        try (var in = Files.newInputStream(out)) {
            assertThat(GeneratedInputStream.sha256(in)).isEqualTo(written.sha256());
        }
        Path upload = tmp.resolve("from-cli.txt");
        Files.writeString(upload, "written by the aws cli");
        Process put = aws(tmp, "s3", "cp", upload.toString(), "s3://witness/cli/from cli.txt");
        assertThat(put.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(put.exitValue()).as(Files.readString(tmp.resolve("aws.log"))).isZero();
        try (var c = store.get("witness", "cli/from cli.txt")) {
            assertThat(new String(c.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("written by the aws cli");
        }
    }

    private static Process aws(Path tmp, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("aws", "--endpoint-url", server.endpoint().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("aws.log").toFile());
        Map<String, String> env = pb.environment();
        Map<String, String> clean = new HashMap<>(env);
        clean.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.clear();
        env.putAll(clean);
        env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        env.put("AWS_DEFAULT_REGION", S3ProxyServer.REGION);
        env.put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
        env.put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
        env.put("AWS_CONFIG_FILE", tmp.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("no-credentials").toString());
        try {
            return pb.start();
        } catch (java.io.IOException e) {
            if (RequiredServices.skipAllowed()) {
                org.junit.jupiter.api.Assumptions.abort("AWS CLI absent and skyforge.skipServices=true");
            }
            throw new IllegalStateException("the AWS CLI is needed as an outside witness: install it (pip install awscli "
                    + "or apt-get install awscli)", e);
        }
    }
}
