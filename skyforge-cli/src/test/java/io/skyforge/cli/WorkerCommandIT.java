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

/**
 * `skyforge worker` fails fast, in one line with a stable code and the documented exit code, when it
 * cannot work: a wrong token, an unknown cloud, a credential it cannot have (a stored secret, or a
 * variable unset in its environment), no server, bad flags — and never shows a stack trace or a secret.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerCommandIT {

    static final String STORED_SECRET = "literal-secret-that-must-never-print";

    Path dir;
    SkyforgeServer server;
    String token;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("skyforge-worker-cmd");
        Path config = dir.resolve("skyforge.yaml");
        Files.writeString(config, """
                storage_providers:
                  - name: disk
                    type: filesystem
                    root: %s
                    compute: {type: worker, slots: 2}
                  - name: stored
                    type: s3
                    endpoint: http://127.0.0.1:9
                    region: us-east-1
                    access_key: AKIDEXAMPLE
                    secret_key: %s
                    compute: {type: worker}
                """.formatted(dir.resolve("disk"), STORED_SECRET));
        server = SkyforgeServer.start(new ServerSettings(0, "127.0.0.1", dir.resolve("data"), null, config));
        token = Files.readString(server.adminTokenFile()).strip();
        // A cloud whose credential is a variable the worker's environment does not have.
        Run applied = run("apply", "-f", write("unset.yaml", """
                apiVersion: core.mcp/v1
                kind: Cloud
                metadata: {name: unset}
                spec:
                  type: s3
                  endpoint: http://127.0.0.1:9
                  region: us-east-1
                  accessKey: AKIDEXAMPLE
                  secretKey: ${SKYFORGE_TEST_NEVER_SET_SECRET}
                  compute: {type: worker}
                """).toString(), "--server=" + server.url(), "--token=" + token);
        assertThat(applied.exit()).as(applied.err()).isZero();
    }

    @AfterAll
    void stop() {
        server.close();
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    Run worker(String... args) {
        List<String> all = new ArrayList<>(List.of("worker", "--server", server.url(), "--token", token));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    @Test
    void shouldExitOneWithAnUnauthorizedLineAndNoStackTraceForAWrongToken() throws Exception {
        try (Processes processes = new Processes(dir)) {
            Processes.Child worker = processes.start("wrong-token", List.of(), "worker", "--server", server.url(),
                    "--token", "not-the-token", "--cloud", "disk");
            assertThat(worker.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(worker.process.exitValue()).isEqualTo(Main.USER_ERROR);
            assertThat(worker.log()).isEqualTo("error: SF-UNAUTHORIZED: the bearer token is not valid\n");
        }
    }

    @Test
    void shouldExitOneForACloudTheServerDoesNotKnow() {
        Run r = worker("--cloud", "nope");
        assertThat(r.exit()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).isEqualTo("error: SF-NOT-FOUND: Cloud nope not found on the server\n");
    }

    @Test
    void shouldAskForAVariableInsteadOfAStoredSecretAndNeverPrintIt() {
        Run r = worker("--cloud", "stored");
        assertThat(r.exit()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).startsWith("error: SF-VALIDATION: Cloud stored keeps spec.secretKey as a stored secret, which the"
                + " API never hands out").contains("secretKey: ${STORED_SECRET_KEY}").doesNotContain(STORED_SECRET);
        assertThat(r.out()).doesNotContain(STORED_SECRET);
    }

    @Test
    void shouldNameTheVariableItsEnvironmentLacks() {
        Run r = worker("--cloud", "unset");
        assertThat(r.exit()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).isEqualTo("error: SF-MISSING-VARIABLE: Cloud unset has no usable store: environment variable"
                + " SKYFORGE_TEST_NEVER_SET_SECRET is not set"
                + " in this worker's environment (spec.secretKey)\n");
    }

    @Test
    void shouldExitTwoWhenTheServerIsUnreachable() {
        Run r = run("worker", "--server", "http://127.0.0.1:9", "--token", "t", "--cloud", "disk");
        assertThat(r.exit()).isEqualTo(Main.SYSTEM_ERROR);
        assertThat(r.err()).startsWith("error: SF-UNAVAILABLE: cannot reach the Skyforge server at http://127.0.0.1:9");
    }

    @Test
    void shouldRefuseInconsistentFlagsBeforeContactingTheServer() {
        assertThat(worker("--cloud", "disk", "--job", "default/j").err()).startsWith("error: --job and --index go together");
        assertThat(worker("--cloud", "disk", "--job", "j", "--index", "0").err())
                .startsWith("error: --job must be NAMESPACE/NAME, got 'j'");
        assertThat(worker("--cloud", "disk", "--slots", "0").err()).startsWith("error: --slots must be within 1..256");
        Run missingCloud = run("worker", "--server", server.url());
        assertThat(missingCloud.exit()).isEqualTo(Main.USER_ERROR);
        assertThat(missingCloud.err()).contains("Missing required option: '--cloud=NAME'");
    }

    @Test
    void shouldWarmUpBeforeItsFirstClaimWhenAsked() {
        // --exit-when-idle alone skips the warm-up (above); --warm-up runs it, then says so on the ready line.
        Run r = worker("--cloud", "disk", "--exit-when-idle", "--warm-up");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).matches("skyforge worker \\S+ cloud disk at " + java.util.regex.Pattern.quote(server.url())
                + ", 1 slot\\(s\\), until idle, warmed up in \\d+ ms\n");
    }

    @Test
    void shouldExitWhenIdleAfterClaimingNothing() {
        Run r = worker("--cloud", "disk", "--exit-when-idle");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("skyforge worker " + r.out().split(" ")[2] + " cloud disk at " + server.url()
                + ", 1 slot(s), until idle\n");
    }
}
