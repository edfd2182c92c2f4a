package io.skyforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.server.ServerSettings;
import io.skyforge.server.SkyforgeServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/** The CLI driving a real server: the newcomer's tour of README.md, and its failure modes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {

    private static final Path SEED = Path.of("..", "examples", "seed");

    Path dataDir;
    SkyforgeServer server;
    String token;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    void start() throws Exception {
        dataDir = Files.createTempDirectory("skyforge-cli-it");
        server = SkyforgeServer.start(new ServerSettings(0, "127.0.0.1", dataDir, null, null));
        token = Files.readString(server.adminTokenFile()).strip();
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        try (var s = Files.walk(dataDir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.isEmpty() && !all.get(0).equals("server")) {
            all.add("--server=" + server.url());
            all.add("--token=" + token);
        }
        return raw(all.toArray(String[]::new));
    }

    static Run raw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void shouldApplyTheSeedExamplesAndShowTheDataJobWithItsStatus() {
        Run apply = cli("apply", "-f", SEED.toString());
        assertThat(apply.exit()).as(apply.err()).isZero();
        assertThat(apply.out()).contains("datajob/data-cleaning", "logicalbucket/lb-123", "cloud/cloud_a_oss", "cloud/cloud_b_obs");

        Run get = cli("get", "datajobs", "data-cleaning", "-o", "yaml");
        assertThat(get.exit()).isZero();
        assertThat(get.out()).contains("kind: DataJob", "name: data-cleaning", "image: data-processor:v1", "memory: 4Gi",
                "status:", "phase: Pending", "type: Accepted");

        Run clouds = cli("get", "clouds");
        assertThat(clouds.out()).contains("cloud_a_oss", "False (MissingVariable)");
        Run describe = cli("describe", "cloud", "cloud_a_oss");
        assertThat(describe.out()).contains("ENV_CLOUD_A_KEY", "not set on the server");

        Run again = cli("apply", "-f", SEED.resolve("data-cleaning.yaml").toString());
        assertThat(again.out()).contains("datajob/data-cleaning configured");
        assertThat(cli("get", "lb", "lb-123", "-o", "json").out()).contains("\"physicalId\" : \"container-y\"");
    }

    @Test
    void shouldDeleteAndWait() throws Exception {
        Path f = dataDir.resolve("job.yaml");
        Files.writeString(f, "apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata: {name: waited, namespace: team-w}\n"
                + "spec: {image: x:v1}\n");
        assertThat(cli("apply", "-f", f.toString()).exit()).isZero();
        Run met = cli("wait", "datajob/waited", "-n", "team-w", "--for=condition=Accepted", "--timeout=10s");
        assertThat(met.exit()).as(met.err()).isZero();
        Run timeout = cli("wait", "dj/waited", "-n", "team-w", "--for=condition=Succeeded", "--timeout=1s");
        assertThat(timeout.exit()).isEqualTo(Main.USER_ERROR);
        assertThat(timeout.err()).contains("SF-TIMEOUT", "Accepted=True");
        assertThat(cli("delete", "datajobs", "waited", "-n", "team-w").out()).contains("datajob/waited deleted");
        assertThat(cli("wait", "datajob/waited", "-n", "team-w", "--for=delete", "--timeout=5s").exit()).isZero();
        Run missing = cli("get", "dj", "waited", "-n", "team-w");
        assertThat(missing.exit()).isEqualTo(Main.USER_ERROR);
        assertThat(missing.err()).startsWith("error: SF-NOT-FOUND");
        assertThat(cli("delete", "dj", "waited", "-n", "team-w", "--ignore-not-found").exit()).isZero();
    }

    @Test
    void shouldRefuseABadFileWithLocatedProblemsAndStoreNothing() throws Exception {
        Path f = dataDir.resolve("bad.yaml");
        Files.writeString(f, "apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata: {name: good-one}\nspec: {image: a:v1}\n---\n"
                + "apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata: {name: bad-one}\nspec:\n  parallelism: lots\n");
        Run r = cli("apply", "-f", f.toString());
        assertThat(r.exit()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).contains("SF-VALIDATION", f + ":10:16: spec.parallelism: expected an integer");
        assertThat(r.err()).doesNotContain("at io.skyforge");
        assertThat(cli("get", "dj", "good-one").exit()).as("nothing of a bad file is applied").isEqualTo(Main.USER_ERROR);
    }

    @Test
    void shouldExitTwoWhenTheServerIsUnreachableAndOneForUnknownKinds() {
        Run r = raw("get", "clouds", "--server=http://127.0.0.1:1", "--token=x");
        assertThat(r.exit()).isEqualTo(Main.SYSTEM_ERROR);
        assertThat(r.err()).contains("SF-UNAVAILABLE", "cannot reach the Skyforge server");
        Run kind = cli("get", "datajbos");
        assertThat(kind.exit()).isEqualTo(Main.USER_ERROR);
        assertThat(kind.err()).contains("did you mean 'datajobs'");
        Run token = raw("get", "clouds", "--server=" + server.url(), "--token=wrong");
        assertThat(token.exit()).isEqualTo(Main.USER_ERROR);
        assertThat(token.err()).contains("SF-UNAUTHORIZED").doesNotContain("wrong");
    }

    @Test
    void shouldListAcrossNamespacesWithLabelSelectors() throws Exception {
        Path f = dataDir.resolve("sel.yaml");
        Files.writeString(f, """
                apiVersion: batch.mcp/v1
                kind: DataJob
                metadata: {name: s1, namespace: sel-a, labels: {tier: gold}}
                spec: {image: a:v1}
                ---
                apiVersion: batch.mcp/v1
                kind: DataJob
                metadata: {name: s2, namespace: sel-b, labels: {tier: bronze}}
                spec: {image: a:v1}
                """);
        assertThat(cli("apply", "-f", f.toString()).exit()).isZero();
        Run gold = cli("get", "dj", "-A", "-l", "tier=gold", "-o", "name");
        assertThat(gold.out()).contains("datajob/s1").doesNotContain("s2");
        Run table = cli("get", "dj", "-A", "-l", "tier in (gold,bronze)");
        assertThat(table.out()).contains("NAMESPACE", "sel-a", "sel-b");
    }

    @Test
    void shouldExitOneWhenServerConfigNeedsAnUnsetVariable() throws Exception {
        Path config = dataDir.resolve("cfg.yaml");
        Files.writeString(config, "storage_providers:\n  - name: a\n    type: s3\n    secret_key: ${SKYFORGE_CLI_IT_UNSET}\n");
        Run r = raw("server", "--port=0", "--data-dir=" + dataDir.resolve("never"), "--config=" + config);
        assertThat(r.exit()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).contains("SF-MISSING-VARIABLE", "SKYFORGE_CLI_IT_UNSET");
    }
}
