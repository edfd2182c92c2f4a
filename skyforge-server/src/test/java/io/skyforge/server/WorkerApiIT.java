package io.skyforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.skyforge.server.jobs.TaskController;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The worker API ({@code /tasks/v1}) refuses what a worker must not do — no or a wrong token, a
 * malformed claim, a report under an expired lease or for another job's task, a success whose part
 * is not in the bucket — each with a stable code, and logs the refused reports; a failed attempt
 * waits out its backoff; a claim long-polls until work is dispatched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerApiIT {

    static final String CLAIMS = "/tasks/v1/claims";
    static final List<String> PROPERTIES = List.of("skyforge.jobs.lease", "skyforge.jobs.retry-backoff",
            "skyforge.cloud.probe-interval", "skyforge.bucket.resync-interval", "skyforge.jobs.reconcile-interval",
            "skyforge.jobs.worker-timeout");

    Path dir;
    SkyforgeServer server;
    Http http;
    final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("skyforge-worker-api");
        Path config = dir.resolve("skyforge.yaml");
        // No worker process runs: tasks stay in the queue for the test to claim by hand.
        Files.writeString(config, """
                storage_providers:
                  - name: disk
                    type: filesystem
                    root: %s
                    compute: {type: worker, slots: 4}
                  - name: spare
                    type: filesystem
                    root: %s
                    compute: {type: worker, slots: 4}
                """.formatted(dir.resolve("disk"), dir.resolve("spare")));
        System.setProperty("skyforge.jobs.lease", "2s");
        System.setProperty("skyforge.jobs.retry-backoff", "30s");
        System.setProperty("skyforge.cloud.probe-interval", "1s");
        System.setProperty("skyforge.bucket.resync-interval", "1s");
        System.setProperty("skyforge.jobs.reconcile-interval", "100ms");
        // The test plays the workers, calling now and then: no verdict of "no live workers" must hold its jobs back.
        System.setProperty("skyforge.jobs.worker-timeout", "1h");
        server = SkyforgeServer.start(new ServerSettings(0, "127.0.0.1", dir.resolve("data"), null, config));
        http = new Http(server.url(), Files.readString(server.adminTokenFile()).strip());
        log.start();
        ((Logger) LoggerFactory.getLogger(TaskController.class)).addAppender(log);
        String dataset = Files.readString(Path.of("..", "examples", "datasets", "shop.yaml")).replace("namespace: demo",
                "namespace: default");
        assertThat(http.post("/apis/data.mcp/v1/namespaces/default/datasets", dataset, "application/yaml").status()).isEqualTo(201);
        assertThat(http.post("/apis/storage.mcp/v1/namespaces/default/logicalbuckets", """
                apiVersion: storage.mcp/v1
                kind: LogicalBucket
                metadata: {name: out}
                spec: {providers: [{cloud: disk, physicalId: out-disk}, {cloud: spare, physicalId: out-spare}]}
                """, "application/yaml").status()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        ((Logger) LoggerFactory.getLogger(TaskController.class)).detachAppender(log);
        PROPERTIES.forEach(System::clearProperty);
        server.close();
        TestFiles.deleteRecursively(dir);
    }

    /** Applies a two-partition-per-table job pinned to a cloud and returns its uid once its tasks are enqueued. */
    String runningJob(String name, String cloud) throws InterruptedException {
        assertThat(http.post("/apis/batch.mcp/v1/namespaces/default/datajobs", """
                apiVersion: batch.mcp/v1
                kind: DataJob
                metadata: {name: %s}
                spec:
                  cloud: %s
                  generate: {dataset: shop}
                  output: {bucket: out, prefix: %s, format: csv}
                  parallelism: 2
                """.formatted(name, cloud, name), "application/yaml").status()).isEqualTo(201);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            JsonNode job = http.get("/apis/batch.mcp/v1/namespaces/default/datajobs/" + name).json();
            if (job.path("status").path("phase").asString().equals("Running")) {
                return job.path("metadata").path("uid").asString();
            }
            assertThat(System.nanoTime()).as(job.path("status").toString()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    Http.Response claim(String job, int index, String owner) {
        return http.post(CLAIMS, "{\"cloud\":\"disk\",\"owner\":\"" + owner + "\",\"job\":\"default/" + job + "\",\"index\":"
                + index + "}", "application/json");
    }

    static String task(String uid, int index, String what) {
        return "/tasks/v1/jobs/" + uid + "/tasks/" + index + "/" + what;
    }

    static String lease(String owner, int attempt) {
        return "{\"owner\":\"" + owner + "\",\"attempt\":" + attempt + "}";
    }

    @Test
    void shouldRefuseTheWorkerApiWithoutAValidToken() {
        Http.Response wrong = http.withToken("not-a-token").post(CLAIMS, "{\"cloud\":\"disk\",\"owner\":\"w\"}", "application/json");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.code()).isEqualTo("SF-UNAUTHORIZED");
        Http.Response none = http.withToken(null).post(task("x", 0, "heartbeat"), lease("w", 1), "application/json");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.code()).isEqualTo("SF-UNAUTHORIZED");
    }

    static Stream<Arguments> badClaims() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"cloud\": ", 400, "SF-PARSE", "not the JSON this endpoint takes"),
                Arguments.of("no cloud", "{\"owner\":\"w\"}", 422, "SF-VALIDATION", "cloud is required"),
                Arguments.of("no owner", "{\"cloud\":\"disk\"}", 422, "SF-VALIDATION", "owner is required"),
                Arguments.of("owner with spaces", "{\"cloud\":\"disk\",\"owner\":\"w 1\"}", 422, "SF-VALIDATION", "owner must be"),
                Arguments.of("long poll too long", "{\"cloud\":\"disk\",\"owner\":\"w\",\"waitSeconds\":31}", 422, "SF-VALIDATION",
                        "waitSeconds must be within 0..30"),
                Arguments.of("job without namespace", "{\"cloud\":\"disk\",\"owner\":\"w\",\"job\":\"j\",\"index\":0}", 422,
                        "SF-VALIDATION", "job as NAMESPACE/NAME"),
                Arguments.of("job without index", "{\"cloud\":\"disk\",\"owner\":\"w\",\"job\":\"default/j\"}", 422,
                        "SF-VALIDATION", "index >= 0"),
                Arguments.of("unknown job", "{\"cloud\":\"disk\",\"owner\":\"w\",\"job\":\"default/nope\",\"index\":0}", 404,
                        "SF-NOT-FOUND", "DataJob default/nope not found"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badClaims")
    void shouldRefuseABadClaimWithAClearProblem(String what, String body, int status, String code, String detail) {
        Http.Response r = http.post(CLAIMS, body, "application/json");
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.code()).isEqualTo(code);
        assertThat(r.json().path("detail").asString()).contains(detail);
    }

    @Test
    void shouldRefuseAndLogReportsUnderAnExpiredLease() throws Exception {
        String uid = runningJob("expiring", "disk");
        assertThat(claim("expiring", 99, "w").code()).isEqualTo("SF-NOT-FOUND");
        JsonNode claimed = claim("expiring", 0, "w-expiring").json();
        assertThat(claimed.path("outcome").asString()).isEqualTo("CLAIMED");
        assertThat(claimed.path("leaseMillis").asLong()).isEqualTo(2000);
        int attempt = claimed.path("task").path("attempt").asInt();
        assertThat(http.post(task(uid, 0, "heartbeat"), lease("w-expiring", attempt), "application/json").status()).isEqualTo(200);

        Thread.sleep(3000); // past the two-second lease, with no heartbeat
        for (String report : List.of("heartbeat", "success", "failure", "release")) {
            String body = report.equals("success") ? "{\"owner\":\"w-expiring\",\"attempt\":" + attempt + ",\"result\":{}}"
                    : lease("w-expiring", attempt);
            Http.Response r = http.post(task(uid, 0, report), body, "application/json");
            assertThat(r.status()).as(report + ": " + r.body()).isEqualTo(409);
            assertThat(r.code()).isEqualTo("SF-CONFLICT");
            assertThat(r.json().path("detail").asString()).contains("is not held by w-expiring in attempt " + attempt,
                    "its lease expired at");
        }
        assertThat(log.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).startsWith("heartbeat from w-expiring (admin) refused").contains("lease expired"))
                .anySatisfy(m -> assertThat(m).startsWith("success report from w-expiring (admin) refused"))
                .anySatisfy(m -> assertThat(m).startsWith("failure report from w-expiring (admin) refused"));
        JsonNode again = claim("expiring", 0, "w-next").json();
        assertThat(again.path("outcome").asString()).as("the expired task is claimable again").isEqualTo("CLAIMED");
        assertThat(again.path("task").path("attempt").asInt()).isEqualTo(attempt + 1);
    }

    @Test
    void shouldHandATaskBackClaimableAtOnceWithoutCountingTheAttempt() throws Exception {
        String uid = runningJob("handed", "disk");
        JsonNode claimed = claim("handed", 0, "w-stopping").json();
        assertThat(claimed.path("outcome").asString()).isEqualTo("CLAIMED");
        int attempt = claimed.path("task").path("attempt").asInt();

        Http.Response r = http.post(task(uid, 0, "release"), "{\"owner\":\"w-stopping\",\"attempt\":" + attempt
                + ",\"reason\":\"worker w-stopping is stopping\"}", "application/json");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("state").asString()).isEqualTo("PENDING");
        assertThat(r.json().path("attempts").asInt()).isEqualTo(attempt - 1);
        assertThat(r.json().has("leaseExpiresAt")).as("no backoff: claimable now").isFalse();

        JsonNode again = claim("handed", 0, "w-next").json();
        assertThat(again.path("outcome").asString()).isEqualTo("CLAIMED");
        assertThat(again.path("task").path("attempt").asInt()).as("the handed-back attempt was not counted").isEqualTo(attempt);
        Http.Response late = http.post(task(uid, 0, "release"), lease("w-stopping", attempt), "application/json");
        assertThat(late.status()).as("the released lease is gone").isEqualTo(409);
        assertThat(late.json().path("detail").asString()).contains("it is held by w-next");
    }

    @Test
    void shouldRefuseAReportForAnotherJobsTask() throws Exception {
        String mine = runningJob("mine", "disk");
        String theirs = runningJob("theirs", "disk");
        JsonNode claimed = claim("mine", 1, "w-mine").json();
        int attempt = claimed.path("task").path("attempt").asInt();
        assertThat(claimed.path("task").path("jobUid").asString()).isEqualTo(mine);
        for (String report : List.of("heartbeat", "failure")) {
            Http.Response r = http.post(task(theirs, 1, report), lease("w-mine", attempt), "application/json");
            assertThat(r.status()).as(r.body()).isEqualTo(409);
            assertThat(r.json().path("detail").asString()).contains("task 1 of job " + theirs + " is not held by w-mine",
                    "it is PENDING after attempt 0");
        }
        assertThat(http.post(task(mine, 1, "heartbeat"), lease("w-mine", attempt), "application/json").status()).isEqualTo(200);
        assertThat(http.post(task(mine, 1, "heartbeat"), lease("w-mine", attempt + 1), "application/json").status())
                .as("another attempt's lease").isEqualTo(409);
        assertThat(http.post(task(mine, 1, "heartbeat"), lease("w-other", attempt), "application/json").status())
                .as("another owner's lease").isEqualTo(409);
    }

    static String success(String owner, int attempt, String table, int rows, String key, String objectKey) {
        return "{\"owner\":\"" + owner + "\",\"attempt\":" + attempt + ",\"result\":{\"table\":\"" + table
                + "\",\"part\":0,\"parts\":2,\"key\":\"" + key + "\",\"firstRow\":0,\"rows\":" + rows
                + ",\"bytes\":5,\"sha256\":\"" + "a".repeat(64) + "\",\"cloud\":\"disk\",\"physicalBucket\":\"out-disk\","
                + "\"objectKey\":\"" + objectKey + "\"}}";
    }

    @Test
    void shouldRefuseASuccessWhosePartIsNotWhatTheTaskWritesOrNotInTheBucket() throws Exception {
        String uid = runningJob("lying", "disk");
        JsonNode t = claim("lying", 0, "w-lying").json().path("task");
        int attempt = t.path("attempt").asInt();
        String table = t.path("table").asString();
        // Task 0 is part 0 of 2 of a table without parents: customers (1,000 rows) or products (200).
        assertThat(table).isIn("customers", "products");
        int rows = table.equals("customers") ? 500 : 100;
        String key = table + "/part-0-of-2.csv";

        Http.Response r = http.post(task(uid, 0, "success"), success("w-lying", attempt, table, 1, "elsewhere.csv",
                "lying/elsewhere.csv"), "application/json");
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.code()).isEqualTo("SF-VALIDATION");
        assertThat(r.json().path("detail").asString()).contains("the reported part does not match",
                "key is elsewhere.csv, expected " + key, "rows is 1, expected " + rows,
                "objectKey is lying/elsewhere.csv, expected lying/" + key);

        Http.Response absent = http.post(task(uid, 0, "success"), success("w-lying", attempt, table, rows, key, "lying/" + key),
                "application/json");
        assertThat(absent.status()).as(absent.body()).isEqualTo(422);
        assertThat(absent.json().path("detail").asString()).contains("disk:out-disk/lying/" + key + " does not exist");
        assertThat(http.get("/tasks/v1/jobs/" + uid + "/tasks").json().path("items").get(0).path("state").asString())
                .as("nothing was recorded").isEqualTo("RUNNING");
    }

    @Test
    void shouldHoldAFailedTaskBackForItsRetryBackoff() throws Exception {
        String uid = runningJob("flaky", "disk");
        int attempt = claim("flaky", 0, "w-flaky").json().path("task").path("attempt").asInt();
        Instant before = Instant.now();
        Http.Response failed = http.post(task(uid, 0, "failure"), "{\"owner\":\"w-flaky\",\"attempt\":" + attempt
                + ",\"error\":\"SF-THROTTLED: slow down\"}", "application/json");
        assertThat(failed.status()).as(failed.body()).isEqualTo(200);
        assertThat(failed.json().path("state").asString()).isEqualTo("PENDING");
        assertThat(failed.json().path("lastError").asString()).isEqualTo("SF-THROTTLED: slow down");
        assertThat(Instant.parse(failed.json().path("leaseExpiresAt").asString())).as("retry not before the 30 s backoff")
                .isAfterOrEqualTo(before.plusSeconds(30));
        JsonNode wait = claim("flaky", 0, "w-flaky").json();
        assertThat(wait.path("outcome").asString()).isEqualTo("WAIT");
        assertThat(wait.path("reason").asString()).contains("waiting out its retry backoff");
        assertThat(wait.path("retryAfterMillis").asLong()).isGreaterThan(20_000);
    }

    @Test
    void shouldAnswerALongPollingClaimAsSoonAsWorkIsDispatchedToItsCloud() throws Exception {
        assertThat(http.post(CLAIMS, "{\"cloud\":\"spare\",\"owner\":\"w-spare\"}", "application/json").json()
                .path("outcome").asString()).isEqualTo("NONE");
        CompletableFuture<Http.Response> polling = CompletableFuture.supplyAsync(() ->
                http.post(CLAIMS, "{\"cloud\":\"spare\",\"owner\":\"w-spare\",\"waitSeconds\":30}", "application/json"));
        String uid = runningJob("on-spare", "spare");
        JsonNode claimed = polling.get(60, TimeUnit.SECONDS).json();
        assertThat(claimed.path("outcome").asString()).as(claimed.toString()).isEqualTo("CLAIMED");
        assertThat(claimed.path("task").path("jobUid").asString()).isEqualTo(uid);
        assertThat(claimed.path("task").path("cloud").asString()).isEqualTo("spare");
        assertThat(claimed.path("task").path("owner").asString()).isEqualTo("w-spare");
    }
}
