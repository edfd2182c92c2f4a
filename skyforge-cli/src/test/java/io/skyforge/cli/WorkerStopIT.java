package io.skyforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.core.model.Resource;
import io.skyforge.testkit.storage.S3ProxyServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A worker stopped with SIGTERM half-way through a partition (a pod deleted, a fleet drained):
 * it abandons the part, hands its task back over the worker API, and exits; the other worker
 * takes the task at once — the job finishes long before the stopped worker's lease would have
 * expired — and nothing of the abandoned upload is left in the bucket.
 */
class WorkerStopIT extends WorkerScenario {

    static final int PARTS = 8;
    /** Far longer than the job takes: a re-run that waited for the lease to expire would fail the timing check. */
    static final Duration LEASE = Duration.ofSeconds(90);

    @Test
    void shouldHandBackAStoppedWorkersPartitionSoAnotherWorkerRunsItAtOnce() throws Exception {
        S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("s3"));
        closeAfter.add(s3);
        processes.env("S3_SECRET", S3ProxyServer.SECRET_KEY);
        startServer(Processes.freePort(), "storage_providers:\n"
                + s3Cloud("S3", s3, "S3_SECRET", "compute: {type: worker, slots: 2}"),
                List.of("skyforge.jobs.lease=" + LEASE.toSeconds() + "s", "skyforge.cloud.probe-interval=1s",
                        "skyforge.jobs.reconcile-interval=100ms"));
        Processes.Child first = startWorker("worker-1", "S3");
        Processes.Child second = startWorker("worker-2", "S3");
        awaitReady("cloud/S3", null);
        applyEventsBucket("""
                providers:
                  - {cloud: S3, physicalId: events}
                """);
        first.awaitLog("cloud S3 at", Duration.ofSeconds(60));
        second.awaitLog("cloud S3 at", Duration.ofSeconds(60));
        applyEventsJob(PARTS, null);

        Matcher claimed = first.awaitLog("task (\\d+) \\(events part \\d+ of 8\\) of job faults/events claimed by worker-1,"
                + " attempt 1", Duration.ofSeconds(60));
        int stoppedTask = Integer.parseInt(claimed.group(1));
        Instant stoppedAt = Instant.now();
        first.terminate(Duration.ofSeconds(30));
        assertThat(first.log()).as("worker-1 gave its task back instead of finishing it")
                .containsPattern("task " + stoppedTask + " \\(events part \\d+ of 8\\) of job faults/events handed back by"
                        + " worker-1")
                .doesNotContainPattern("task " + stoppedTask + " \\(events part \\d+ of 8\\) of job faults/events written by");

        Resource job = awaitPhase("events", "Succeeded", LEASE);
        Instant done = Instant.parse(job.status().path("completionTime").asString());
        assertThat(Duration.between(stoppedAt, done)).as("the job finished without waiting for worker-1's lease")
                .isLessThan(LEASE.dividedBy(2));
        assertThat(second.alive()).isTrue();

        List<JsonNode> tasks = tasks(job.metadata().uid());
        JsonNode rerun = tasks.get(stoppedTask);
        assertThat(rerun.path("owner").asString()).isEqualTo("worker-2");
        assertThat(rerun.path("attempts").asInt()).as("the handed-back attempt is not counted").isEqualTo(1);
        try (var store = s3(s3)) {
            assertPartsIdenticalToOfflineGeneration(tasks, PARTS, Map.of("S3", objects(store, "events")));
        }
    }
}
