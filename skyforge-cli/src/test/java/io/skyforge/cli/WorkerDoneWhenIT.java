package io.skyforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.core.model.Resource;
import io.skyforge.testkit.storage.S3ProxyServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 6's "Done when", with real processes: a `skyforge server` and two `skyforge worker`
 * processes; a job applied without spec.cloud; `skyforge explain job` shows why the cheaper allowed
 * cloud won; one worker is killed with SIGKILL half-way through a partition; the job still
 * succeeds, the killed worker's partition run again by the other, and every part in the bucket is
 * byte-identical to `skyforge generate --partition K` of the same spec.
 */
class WorkerDoneWhenIT extends WorkerScenario {

    static final int PARTS = 8;

    @Test
    void shouldFinishAJobOnTheCheaperAllowedCloudAfterOneOfItsTwoWorkersIsKilled() throws Exception {
        S3ProxyServer eu = S3ProxyServer.start(dir.resolve("s3-eu"));
        closeAfter.add(eu);
        processes.env("EU_S3_SECRET", S3ProxyServer.SECRET_KEY);
        // US is the cheapest but the bucket's data must stay in the EU; EU_DISK is allowed but dearer. Those two
        // run in-process compute: a worker cloud with no worker process would fail the capacity filter instead.
        startServer(Processes.freePort(), """
                storage_providers:
                  - name: US
                    type: filesystem
                    root: %s
                    labels: {jurisdiction: us}
                    compute: {type: local, slots: 4}
                    pricing: {cpu_hour: 0.001, egress_gb: 0.05}
                """.formatted(dir.resolve("us"))
                + s3Cloud("EU_S3", eu, "EU_S3_SECRET", "labels: {jurisdiction: eu}", "compute: {type: worker, slots: 4}",
                        "pricing: {cpu_hour: 0.01, egress_gb: 0.05}")
                + """
                  - name: EU_DISK
                    type: filesystem
                    root: %s
                    labels: {jurisdiction: eu}
                    compute: {type: local, slots: 4}
                    pricing: {cpu_hour: 0.08, egress_gb: 0.05}
                """.formatted(dir.resolve("eu-disk")), FAST);
        Processes.Child first = startWorker("worker-1", "EU_S3");
        Processes.Child second = startWorker("worker-2", "EU_S3");
        for (String cloud : List.of("US", "EU_S3", "EU_DISK")) {
            awaitReady("cloud/" + cloud, null);
        }
        applyEventsBucket("""
                providers:
                  - {cloud: EU_S3, physicalId: events-eu}
                  - {cloud: EU_DISK, physicalId: events-disk}
                residency: {allowed: [eu]}
                """);
        first.awaitLog("cloud EU_S3 at", Duration.ofSeconds(60));
        second.awaitLog("cloud EU_S3 at", Duration.ofSeconds(60));
        applyEventsJob(PARTS, "cheapest");

        // Kill worker-1 as soon as it holds a partition: the partition is half-written when it dies.
        Matcher claimed = first.awaitLog("task (\\d+) \\(events part \\d+ of 8\\) of job faults/events claimed by worker-1, attempt 1",
                Duration.ofSeconds(60));
        int killedTask = Integer.parseInt(claimed.group(1));
        first.kill();
        assertThat(first.log()).as("worker-1 was killed before it finished task " + killedTask)
                .doesNotContainPattern("task " + killedTask + " \\(events part \\d+ of 8\\) of job faults/events written by");

        Resource job = awaitPhase("events", "Succeeded", Duration.ofSeconds(90));
        assertThat(second.alive()).isTrue();

        Run explain = cli("explain", "job", "events", "-n", NS);
        assertThat(explain.exit()).as(explain.err()).isZero();
        assertThat(explain.out()).contains("Decision: PLACED — start now on EU_S3")
                .containsPattern("\\n  US\\s+pass\\s+FAIL\\s+pass\\s+pass\\s+pass\\s+pass\\s+no\\n")
                .contains("residency  FAIL  jurisdiction us not allowed")
                .containsPattern("Why: EU_S3 scores [0-9.]+, ahead of EU_DISK at [0-9.]+; it leads on cost");

        List<JsonNode> tasks = tasks(job.metadata().uid());
        JsonNode rerun = tasks.get(killedTask);
        assertThat(rerun.path("attempts").asInt()).as("the killed worker's task ran again").isGreaterThanOrEqualTo(2);
        assertThat(rerun.path("owner").asString()).isEqualTo("worker-2");
        assertThat(tasks).allSatisfy(t -> assertThat(t.path("cloud").asString()).isEqualTo("EU_S3"));
        assertThat(job.status().path("attempts").asInt()).isGreaterThanOrEqualTo(PARTS + 1);
        try (var store = s3(eu)) {
            assertPartsIdenticalToOfflineGeneration(tasks, PARTS, Map.of("EU_S3", objects(store, "events-eu")));
        }
    }
}
