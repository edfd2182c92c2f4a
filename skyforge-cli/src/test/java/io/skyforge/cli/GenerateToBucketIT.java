package io.skyforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.server.ServerSettings;
import io.skyforge.server.SkyforgeServer;
import io.skyforge.spi.storage.ObjectContent;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.spi.storage.ObjectStores;
import io.skyforge.spi.storage.ObjectSummary;
import io.skyforge.testkit.storage.S3ProxyServer;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * {@code skyforge generate SPEC --out sf://NS/BUCKET/PREFIX} (through a running server's data API)
 * and {@code --out s3://BUCKET/PREFIX} (straight to an S3 endpoint, configured the AWS way) write
 * exactly the objects {@code --out DIR} writes, manifest included; a bad target fails with one line
 * before anything is written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GenerateToBucketIT {

    static final Path SPEC = Path.of("..", "examples", "datasets", "shop.yaml");

    Path dir;
    S3ProxyServer s3;
    SkyforgeServer server;
    String token;
    ObjectStore direct;
    Map<String, byte[]> expectedCsv;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("skyforge-generate-bucket");
        s3 = S3ProxyServer.start(dir.resolve("s3"));
        direct = ObjectStores.open(ObjectStoreConfig.builder("s3").name("witness").endpoint(s3.endpoint().toString())
                .region(S3ProxyServer.REGION).accessKey(S3ProxyServer.ACCESS_KEY).secretKey(S3ProxyServer.SECRET_KEY).build());
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("secrets"));
        Files.writeString(data.resolve("secrets/GEN_S3_SECRET"), S3ProxyServer.SECRET_KEY);
        Path config = dir.resolve("skyforge.yaml");
        Files.writeString(config, "storage_providers:\n"
                + "  - name: GEN\n    type: s3\n    endpoint: " + s3.endpoint() + "\n    region: us-east-1\n"
                + "    access_key: " + S3ProxyServer.ACCESS_KEY + "\n    secret_key: ${GEN_S3_SECRET}\n"
                + "resources:\n"
                + "  - apiVersion: storage.mcp/v1\n    kind: LogicalBucket\n    metadata: {name: gen, namespace: team-a}\n"
                + "    spec:\n      providers: [{cloud: GEN, physicalId: gen-data}]\n");
        System.setProperty("skyforge.cloud.probe-interval", "1s");
        System.setProperty("skyforge.bucket.resync-interval", "1s");
        server = SkyforgeServer.start(new ServerSettings(0, "127.0.0.1", data, null, config));
        token = Files.readString(server.adminTokenFile()).strip();
        Run ready = cli("wait", "logicalbucket/gen", "-n", "team-a", "--for=condition=Ready", "--timeout=90s",
                "--server=" + server.url(), "--token=" + token);
        assertThat(ready.exit()).as(ready.err()).isZero();
        expectedCsv = generateToDir("csv");
    }

    @AfterAll
    void stop() throws Exception {
        System.clearProperty("skyforge.cloud.probe-interval");
        System.clearProperty("skyforge.bucket.resync-interval");
        if (direct != null) {
            direct.close();
        }
        if (server != null) {
            server.close();
        }
        if (s3 != null) {
            s3.close();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** The reference: the same spec and options written to a local directory; relative path to bytes. */
    Map<String, byte[]> generateToDir(String format) throws Exception {
        Path out = dir.resolve("local-" + format);
        Run r = cli("generate", SPEC.toString(), "--out", out.toString(), "--format", format, "--partitions", "3", "-q");
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                files.put(out.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        assertThat(files).containsKey("_manifest.json");
        assertThat(files.keySet()).contains("customers/part-0-of-3.csv".replace("csv", format));
        return files;
    }

    /** Every object under {@code prefix} of a physical bucket; key relative to the prefix to bytes. */
    Map<String, byte[]> objects(String bucket, String prefix) throws Exception {
        Map<String, byte[]> found = new TreeMap<>();
        List<ObjectSummary> all;
        try (Stream<ObjectSummary> s = direct.listAll(bucket, prefix)) {
            all = s.toList();
        }
        for (ObjectSummary o : all) {
            try (ObjectContent c = direct.get(bucket, o.key()); InputStream in = c.stream()) {
                found.put(o.key().substring(prefix.length()), in.readAllBytes());
            }
        }
        return found;
    }

    static void assertSameObjects(Map<String, byte[]> actual, Map<String, byte[]> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            assertThat(actual.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void shouldWriteTheSameObjectsThroughTheDataApiAsToADirectory() throws Exception {
        Run r = cli("generate", SPEC.toString(), "--out", "sf://team-a/gen/runs/shop", "--partitions", "3",
                "--server", server.url(), "--token", token);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("sf://team-a/gen/runs/shop/", "(manifest: _manifest.json)");
        assertSameObjects(objects("gen-data", "runs/shop/"), expectedCsv);

        // a re-run replaces the parts and the manifest in place: still exactly the same objects
        Run again = cli("generate", SPEC.toString(), "--out", "sf://team-a/gen/runs/shop", "--partitions", "3", "-q",
                "--server", server.url(), "--token", token);
        assertThat(again.exit()).as(again.err()).isZero();
        assertSameObjects(objects("gen-data", "runs/shop/"), expectedCsv);
    }

    @Test
    void shouldWriteTheSameObjectsStraightToS3WithTheEndpointFromAFlagOrTheAwsEnvironment() throws Exception {
        direct.createBucket("direct-out");
        Process flag = generateProcess(List.of("--out", "s3://direct-out/by-flag", "--partitions", "3",
                "--s3-endpoint", s3.endpoint().toString()), Map.of());
        assertThat(finish(flag)).isZero();
        assertSameObjects(objects("direct-out", "by-flag/"), expectedCsv);

        Map<String, byte[]> expectedJsonl = generateToDir("jsonl");
        Process env = generateProcess(List.of("--out", "s3://direct-out/by-env/shop", "--partitions", "3", "--format", "jsonl"),
                Map.of("AWS_ENDPOINT_URL_S3", s3.endpoint().toString()));
        assertThat(finish(env)).isZero();
        assertSameObjects(objects("direct-out", "by-env/shop/"), expectedJsonl);
    }

    @Test
    void shouldRefuseABadTargetWithOneLineBeforeWritingAnything() throws Exception {
        Run unknownBucket = cli("generate", SPEC.toString(), "--out", "sf://team-a/nope/x", "--server", server.url(), "--token", token);
        assertThat(unknownBucket.exit()).isEqualTo(Main.USER_ERROR);
        assertThat(unknownBucket.err().strip()).doesNotContain("\n")
                .startsWith("error: SF-BUCKET-NOT-FOUND: LogicalBucket team-a/nope does not exist on " + server.url());

        Run malformed = cli("generate", SPEC.toString(), "--out", "sf://team-a", "--server", server.url(), "--token", token);
        assertThat(malformed.exit()).isEqualTo(Main.USER_ERROR);
        assertThat(malformed.err().strip()).doesNotContain("\n").contains("is not sf://<namespace>/<bucket>/[key]");

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Run down = cli("generate", SPEC.toString(), "--out", "sf://team-a/gen/x", "--server", "http://127.0.0.1:" + closed, "--token", token);
        assertThat(down.exit()).isEqualTo(Main.SYSTEM_ERROR);
        assertThat(down.err().strip()).doesNotContain("\n").contains("cannot reach the Skyforge server");

        Process missing = generateProcess(List.of("--out", "s3://no-such-bucket/x", "--s3-endpoint", s3.endpoint().toString()), Map.of());
        StringBuilder err = new StringBuilder();
        assertThat(finish(missing, err)).isEqualTo(Main.USER_ERROR);
        assertThat(err.toString().strip()).doesNotContain("\n")
                .isEqualTo("error: SF-BUCKET-NOT-FOUND: bucket 'no-such-bucket' does not exist at " + s3.endpoint());

        assertThat(objects("gen-data", "x")).isEmpty();
        assertThat(direct.bucketExists("no-such-bucket")).isFalse();
    }

    /** The runnable jar, as a user runs it, with S3 credentials only in the environment (as for the AWS CLI). */
    Process generateProcess(List<String> args, Map<String, String> extraEnv) throws Exception {
        Path jar = Path.of("target", "skyforge.jar").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "generate", SPEC.toAbsolutePath().toString(), "-q"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        env.put("AWS_REGION", S3ProxyServer.REGION);
        env.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
        env.putAll(extraEnv);
        return pb.start();
    }

    static int finish(Process p) throws Exception {
        StringBuilder err = new StringBuilder();
        int exit = finish(p, err);
        assertThat(exit).as(err.toString()).isZero();
        return exit;
    }

    static int finish(Process p, StringBuilder err) throws Exception {
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        err.append(new String(p.getErrorStream().readAllBytes()));
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out + err).isTrue();
        return p.exitValue();
    }
}
