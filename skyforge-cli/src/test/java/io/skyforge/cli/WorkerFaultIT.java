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
 * A worker killed with SIGKILL while its cloud goes down: its lease expires, the controller moves
 * the cloud's unfinished partitions to the best healthy cloud, a worker there runs them, and the
 * job succeeds with every part byte-identical to offline generation — and nothing, not even half
 * an upload, left on the failed cloud.
 */
class WorkerFaultIT extends WorkerScenario {

    static final int PARTS = 8;

    @Test
    void shouldRunAKilledWorkersPartitionOnAnotherCloudWhenItsOwnBecomesUnhealthy() throws Exception {
        S3ProxyServer a = S3ProxyServer.start(dir.resolve("s3-a"));
        S3ProxyServer b = S3ProxyServer.start(dir.resolve("s3-b"));
        closeAfter.add(b);
        int portA = a.port();
        Processes.Child workerA = startTwoWorkerClouds(a, b, FAST);
        applyEventsJob(PARTS, "cheapest");

        Matcher claimed = workerA.awaitLog("task (\\d+) \\(events part \\d+ of 8\\) of job faults/events claimed by worker-a,"
                + " attempt 1", Duration.ofSeconds(60));
        int killedTask = Integer.parseInt(claimed.group(1));
        workerA.kill();
        a.close(); // CLOUD_A's endpoint is gone: its next probe fails and it stops being Ready

        Resource job = awaitPhase("events", "Succeeded", Duration.ofSeconds(90));
        assertThat(workerA.log()).doesNotContain("written by worker-a");
        assertThat(job.status().path("clouds")).extracting(JsonNode::asString).containsExactly("CLOUD_A", "CLOUD_B");
        assertThat(job.status().path("history")).anySatisfy(h -> assertThat(h.path("message").asString())
                .containsPattern("partition\\(s\\) moved from cloud CLOUD_A to CLOUD_B: it is not Ready"));
        List<JsonNode> tasks = tasks(job.metadata().uid());
        assertThat(tasks).allSatisfy(t -> {
            assertThat(t.path("cloud").asString()).isEqualTo("CLOUD_B");
            assertThat(t.path("owner").asString()).isEqualTo("worker-b");
        });
        assertThat(tasks.get(killedTask).path("attempts").asInt()).as("the killed worker's task ran again")
                .isGreaterThanOrEqualTo(2);

        // CLOUD_A back where it was, to look inside: the killed worker's upload never became an object.
        S3ProxyServer again = S3ProxyServer.start(dir.resolve("s3-a"), portA);
        closeAfter.add(again);
        try (var storeA = s3(again); var storeB = s3(b)) {
            assertPartsIdenticalToOfflineGeneration(tasks, PARTS, Map.of("CLOUD_A", objects(storeA, "events-a"),
                    "CLOUD_B", objects(storeB, "events-b")));
        }
    }
}
