package io.skyforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kind of bad input gets a clear 4xx problem with a stable code, and stores nothing: the
 * store's resourceVersion (bumped by every write) is the same after the request as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {

    static final String JOBS = "/apis/batch.mcp/v1/namespaces/default/datajobs";
    static final String OK_JOB = "apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata: {name: ok}\nspec: {image: p:v1}\n";

    Path dataDir;
    SkyforgeServer server;
    Http http;
    String before;

    @BeforeAll
    void start() throws Exception {
        dataDir = Files.createTempDirectory("skyforge-bad-input");
        server = SkyforgeServer.start(new ServerSettings(0, "127.0.0.1", dataDir, null, null));
        http = new Http(server.url(), Files.readString(server.adminTokenFile()).strip());
        assertThat(http.post(JOBS, OK_JOB, "application/yaml").status()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        server.close();
        TestFiles.deleteRecursively(dataDir);
    }

    /**
     * What a refused request could have changed: the DataJobs that exist, with their generation and
     * spec. (Not the store's resourceVersion: controllers write status in the background.)
     */
    private String storedJobs() {
        StringBuilder sb = new StringBuilder();
        for (var item : http.get(JOBS).json().path("items")) {
            sb.append(item.path("metadata").path("name").asString()).append(' ')
                    .append(item.path("metadata").path("generation").asString()).append(' ')
                    .append(item.path("spec")).append('\n');
        }
        for (var item : http.get("/apis/core.mcp/v1/clouds").json().path("items")) {
            sb.append(item.path("metadata").path("name").asString()).append('\n');
        }
        return sb.toString();
    }

    @AfterEach
    void nothingWasStored() {
        assertThat(storedJobs()).as("a refused request must not write").isEqualTo(before);
    }

    static String billionLaughs() {
        StringBuilder y = new StringBuilder("a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'i'; c++) {
            y.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                y.append(i == 0 ? "" : ",").append('*').append(prev);
            }
            y.append("]\n");
            prev = c;
        }
        return y.toString();
    }

    static Stream<Arguments> badCreates() {
        String meta = "apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata: {name: j}\n";
        return Stream.of(
                Arguments.of("malformed YAML", "apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata: {name: [j\n", 400, "SF-PARSE"),
                Arguments.of("malformed JSON", "{\"apiVersion\": \"batch.mcp/v1\", \"kind\": ", 400, "SF-PARSE"),
                Arguments.of("wrong type", meta + "spec: {parallelism: many}\n", 422, "SF-VALIDATION"),
                Arguments.of("unknown kind", "apiVersion: batch.mcp/v1\nkind: DataJobs\nmetadata: {name: j}\nspec: {}\n",
                        400, "SF-UNKNOWN-KIND"),
                Arguments.of("unknown apiVersion", "apiVersion: batch.mcp/v9\nkind: DataJob\nmetadata: {name: j}\nspec: {}\n",
                        400, "SF-UNKNOWN-KIND"),
                Arguments.of("missing name", "apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata: {}\nspec: {}\n",
                        422, "SF-VALIDATION"),
                Arguments.of("invalid name", "apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata: {name: Data_Job}\nspec: {}\n",
                        422, "SF-VALIDATION"),
                Arguments.of("name too long", "apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata: {name: " + "a".repeat(64)
                        + "}\nspec: {}\n", 422, "SF-VALIDATION"),
                Arguments.of("duplicate keys", meta + "spec:\n  image: a\n  image: b\n", 400, "SF-PARSE"),
                Arguments.of("alias bomb", billionLaughs(), 413, "SF-TOO-LARGE"),
                Arguments.of("unknown field", meta + "spec: {imgae: p:v1}\n", 422, "SF-VALIDATION"),
                Arguments.of("unknown enum value", meta + "spec: {priority: urgent}\n", 422, "SF-VALIDATION"),
                Arguments.of("parallelism zero", meta + "spec: {parallelism: 0}\n", 422, "SF-VALIDATION"),
                Arguments.of("parallelism absurd", meta + "spec: {parallelism: 20000}\n", 422, "SF-VALIDATION"),
                Arguments.of("malformed variable reference",
                        "apiVersion: core.mcp/v1\nkind: Cloud\nmetadata: {name: c}\nspec: {type: s3, accessKey: '${OOPS'}\n",
                        422, "SF-VALIDATION"),
                Arguments.of("kind does not match the path",
                        "apiVersion: data.mcp/v1\nkind: Dataset\nmetadata: {name: d}\nspec: {tables: [{name: t}]}\n",
                        422, "SF-VALIDATION"),
                Arguments.of("namespace does not match the path",
                        "apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata: {name: j, namespace: other}\nspec: {}\n",
                        422, "SF-VALIDATION"),
                Arguments.of("two documents in one create", OK_JOB + "---\n" + OK_JOB.replace("name: ok", "name: ok2"),
                        422, "SF-VALIDATION"),
                Arguments.of("a scalar document", "just a string\n", 400, "SF-PARSE"),
                Arguments.of("bad label", "apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata: {name: j, labels: {'-x': y}}\n"
                        + "spec: {}\n", 422, "SF-VALIDATION"),
                Arguments.of("existing name", OK_JOB, 409, "SF-ALREADY-EXISTS"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCreates")
    void shouldRefuseBadInputWithAClearProblemAndStoreNothing(String what, String body, int status, String code) {
        before = storedJobs();
        Http.Response r = http.post(JOBS, body, "application/yaml");
        assertThat(r.status()).as(what + ": " + r.body()).isEqualTo(status);
        assertThat(r.code()).as(what).isEqualTo(code);
        assertThat(r.json().path("detail").asString()).as(what).isNotBlank().doesNotContain("Exception");
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    @Test
    void shouldLocateEveryViolationInTheBody() {
        before = storedJobs();
        Http.Response r = http.post(JOBS, "apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata: {name: j}\n"
                + "spec:\n  parallelism: x\n  priorty: batch\n", "application/yaml");
        assertThat(r.json().path("violations")).hasSize(2);
        assertThat(r.json().path("violations").get(1).path("line").asInt()).isEqualTo(6);
        assertThat(r.json().path("violations").get(1).path("message").asString()).contains("did you mean 'priority'");
    }

    @Test
    void shouldRefuseATenMebibyteDocumentBeforeReadingIt() {
        before = storedJobs();
        byte[] big = ("apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata: {name: big}\nspec: {image: '"
                + "x".repeat(10 * 1024 * 1024) + "'}\n").getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        Http.Response r = http.postBytes(JOBS, big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.code()).isEqualTo("SF-TOO-LARGE");
        assertThat(System.nanoTime() - start).as("refused without parsing").isLessThan(10_000_000_000L);
    }

    @Test
    void shouldRefuseAnUpdateWithAStaleResourceVersion() {
        before = storedJobs();
        Http.Response r = http.send(JOBS + "/ok", OK_JOB.replace("metadata: {name: ok}", "metadata: {name: ok, resourceVersion: '999999'}")
                .replace("p:v1", "p:v2"));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.code()).isEqualTo("SF-CONFLICT");
    }

    @Test
    void shouldRefuseRequestsWithoutOrWithAWrongToken() {
        before = storedJobs();
        assertThat(http.withToken(null).post(JOBS, OK_JOB.replace("ok", "anon"), "application/yaml").status()).isEqualTo(401);
        Http.Response wrong = http.withToken("sft_not-a-token").post(JOBS, OK_JOB.replace("ok", "wrong"), "application/yaml");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.code()).isEqualTo("SF-UNAUTHORIZED");
    }

    @Test
    void shouldRefuseUnknownPathsSelectorsAndMediaTypes() {
        before = storedJobs();
        assertThat(http.get("/apis/batch.mcp/v1/namespaces/default/datajob").code()).isEqualTo("SF-NOT-FOUND");
        assertThat(http.get("/nope").status()).isEqualTo(404);
        Http.Response selector = http.get(JOBS + "?labelSelector=a%20in%20(b");
        assertThat(selector.status()).isEqualTo(422);
        assertThat(http.patch(JOBS + "/ok", "x", "text/plain").status()).isEqualTo(415);
        assertThat(http.post(JOBS, "", "application/yaml").code()).isEqualTo("SF-PARSE");
        assertThat(http.get("/apis/core.mcp/v1/namespaces/default/clouds").status()).isEqualTo(404);
    }
}
