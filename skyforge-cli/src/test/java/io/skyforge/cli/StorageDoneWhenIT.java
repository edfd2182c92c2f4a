package io.skyforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.server.ServerSettings;
import io.skyforge.server.SkyforgeServer;
import io.skyforge.testkit.storage.AzuriteServer;
import io.skyforge.testkit.storage.RequiredServices;
import io.skyforge.testkit.storage.S3ProxyServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * Issue 3's "Done when": a config naming two S3Proxy endpoints (CLOUD_A, CLOUD_B) and one Azurite as
 * storage_providers; the seed's lb-123 applied verbatim; both physical buckets created and Ready;
 * a file copied in with {@code skyforge cp}, listed with {@code skyforge ls}, read back
 * byte-identical, and read again with the AWS CLI straight from the physical bucket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageDoneWhenIT {

    Path dir;
    S3ProxyServer cloudA;
    S3ProxyServer cloudB;
    AzuriteServer azurite;
    SkyforgeServer server;
    String token;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("skyforge-done-when");
        Path dataDir = dir.resolve("data");
        Files.createDirectories(dataDir.resolve("secrets"));
        // The secrets reach the server as ${VAR} references, resolved from its secrets directory.
        Files.writeString(dataDir.resolve("secrets/ENV_CLOUD_A_SECRET"), S3ProxyServer.SECRET_KEY);
        Files.writeString(dataDir.resolve("secrets/ENV_CLOUD_B_SECRET"), S3ProxyServer.SECRET_KEY);
        Files.writeString(dataDir.resolve("secrets/ENV_AZURE_KEY"), AzuriteServer.ACCOUNT_KEY);
        cloudA = S3ProxyServer.start(dir.resolve("cloud-a"));
        cloudB = S3ProxyServer.start(dir.resolve("cloud-b"));
        azurite = RequiredServices.start("Azurite", AzuriteServer::start);
        Path config = dir.resolve("skyforge.yaml");
        Files.writeString(config, "storage_providers:\n"
                + "  - name: CLOUD_A\n    type: s3\n    endpoint: " + cloudA.endpoint() + "\n    region: us-east-1\n"
                + "    access_key: " + S3ProxyServer.ACCESS_KEY + "\n    secret_key: ${ENV_CLOUD_A_SECRET}\n"
                + "  - name: CLOUD_B\n    type: s3\n    endpoint: " + cloudB.endpoint() + "\n    region: us-east-1\n"
                + "    access_key: " + S3ProxyServer.ACCESS_KEY + "\n    secret_key: ${ENV_CLOUD_B_SECRET}\n"
                + "  - name: CLOUD_AZ\n    type: azure-blob\n    endpoint: " + azurite.endpoint() + "\n"
                + "    account_name: " + AzuriteServer.ACCOUNT_NAME + "\n    account_key: ${ENV_AZURE_KEY}\n");
        System.setProperty("skyforge.cloud.probe-interval", "1s");
        System.setProperty("skyforge.bucket.resync-interval", "1s");
        server = SkyforgeServer.start(new ServerSettings(0, "127.0.0.1", dataDir, null, config));
        token = Files.readString(server.adminTokenFile()).strip();
    }

    @AfterAll
    void stop() throws Exception {
        System.clearProperty("skyforge.cloud.probe-interval");
        System.clearProperty("skyforge.bucket.resync-interval");
        if (server != null) {
            server.close();
        }
        if (cloudA != null) {
            cloudA.close();
        }
        if (cloudB != null) {
            cloudB.close();
        }
        if (azurite != null) {
            azurite.close();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server=" + server.url());
        all.add("--token=" + token);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void shouldCopyAFileIntoTheSeedBucketListItAndReadItBackAlsoWithTheAwsCli() throws Exception {
        for (String c : List.of("CLOUD_A", "CLOUD_B", "CLOUD_AZ")) {
            Run ready = cli("wait", "cloud/" + c, "--for=condition=Ready", "--timeout=90s");
            assertThat(ready.exit()).as(c + ": " + ready.err()).isZero();
        }
        Run apply = cli("apply", "-f", Path.of("..", "examples", "seed", "lb-123.json").toString());
        assertThat(apply.exit()).as(apply.err()).isZero();
        Run ready = cli("wait", "logicalbucket/lb-123", "--for=condition=Ready", "--timeout=90s");
        assertThat(ready.exit()).as(ready.err()).isZero();
        String lb = cli("get", "lb", "lb-123", "-o", "json").out();
        assertThat(lb).contains("\"physicalId\" : \"bucket-x\"", "\"physicalId\" : \"container-y\"", "\"reason\" : \"BucketsReady\"");
        assertThat(Files.isDirectory(cloudA.dataDir().resolve("bucket-x"))).as("bucket-x on CLOUD_A").isTrue();
        assertThat(Files.isDirectory(cloudB.dataDir().resolve("container-y"))).as("container-y on CLOUD_B").isTrue();

        byte[] data = new byte[5 * 1024 * 1024 + 123];
        new Random(42).nextBytes(data);
        Path file = dir.resolve("report 2026.bin");
        Files.write(file, data);
        Run cp = cli("cp", file.toString(), "sf://default/lb-123/reports/");
        assertThat(cp.exit()).as(cp.err()).isZero();
        assertThat(cp.out()).contains("sf://default/lb-123/reports/report 2026.bin", data.length + " bytes");
        String cloud = cp.out().contains("on CLOUD_A") ? "CLOUD_A" : "CLOUD_B";
        assertThat(cp.out()).contains("on " + cloud);

        Run ls = cli("ls", "sf://default/lb-123/reports/");
        assertThat(ls.exit()).as(ls.err()).isZero();
        assertThat(ls.out()).contains(Long.toString(data.length), "reports/report 2026.bin");
        Run top = cli("ls", "sf://default/lb-123/");
        assertThat(top.out()).contains("DIR  reports/");

        Path back = dir.resolve("back.bin");
        Run get = cli("cp", "sf://default/lb-123/reports/report 2026.bin", back.toString());
        assertThat(get.exit()).as(get.err()).isZero();
        assertThat(Files.readAllBytes(back)).isEqualTo(data);

        S3ProxyServer physical = cloud.equals("CLOUD_A") ? cloudA : cloudB;
        String bucket = cloud.equals("CLOUD_A") ? "bucket-x" : "container-y";
        Path witness = dir.resolve("aws.bin");
        ProcessBuilder pb = new ProcessBuilder("aws", "s3", "cp", "s3://" + bucket + "/reports/report 2026.bin",
                witness.toString(), "--endpoint-url", physical.endpoint().toString(), "--no-progress")
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        env.put("AWS_DEFAULT_REGION", S3ProxyServer.REGION);
        env.put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
        env.put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
        env.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
        env.remove("AWS_CA_BUNDLE");
        env.remove("AWS_PROFILE");
        Process p = pb.start();
        String awsOut = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(awsOut).isZero();
        assertThat(Files.readAllBytes(witness)).as("what the AWS CLI reads from " + cloud + "/" + bucket).isEqualTo(data);
    }

    @Test
    void shouldFailClearlyForAMissingFileAnUnknownBucketAndAMissingKey() {
        Run noFile = cli("cp", dir.resolve("absent.bin").toString(), "sf://default/lb-123/x");
        assertThat(noFile.exit()).isEqualTo(Main.USER_ERROR);
        assertThat(noFile.err()).startsWith("error: SF-NOT-FOUND: no such file");
        Run noBucket = cli("ls", "sf://default/no-such-bucket/");
        assertThat(noBucket.exit()).isEqualTo(Main.USER_ERROR);
        assertThat(noBucket.err()).contains("SF-BUCKET-NOT-FOUND", "LogicalBucket default/no-such-bucket not found");
        Run local = cli("cp", "a.txt", "b.txt");
        assertThat(local.exit()).isEqualTo(Main.USER_ERROR);
        assertThat(local.err()).contains("SF-VALIDATION", "sf://");
    }
}
