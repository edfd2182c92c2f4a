package io.skyforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.core.model.Resource;
import io.skyforge.testkit.storage.S3ProxyServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A cloud that goes away for good after some partitions were written to it: its worker killed
 * with SIGKILL, its endpoint stopped and not restarted. Its finished parts could never get their
 * manifest, so once it has not been Ready for {@code skyforge.jobs.lost-cloud-after} they are
 * generated again on the other cloud, with the partitions it never ran; the job commits there, every
 * part byte-identical to offline generation, and no manifest names the lost copy.
 */
class WorkerLostCloudIT extends WorkerScenario {

    static final int PARTS = 8;

    @Test
    void shouldGenerateAgainOnAnotherCloudThePartsOfACloudThatNeverComesBack() throws Exception {
        S3ProxyServer a = S3ProxyServer.start(dir.resolve("s3-a"));
        S3ProxyServer b = S3ProxyServer.start(dir.resolve("s3-b"));
        closeAfter.add(b);
        int portA = a.port();
        List<String> properties = new ArrayList<>(FAST);
        properties.add("skyforge.jobs.lost-cloud-after=3s");
        Processes.Child workerA = startTwoWorkerClouds(a, b, properties);
        applyEventsJob(PARTS, "cheapest");

        // Two parts written on CLOUD_A, then it is gone for good.
        workerA.awaitLog("(?s)of job faults/events written by worker-a.*of job faults/events written by worker-a",
                Duration.ofSeconds(90));
        workerA.kill();
        a.close();

        Resource job = awaitPhase("events", "Succeeded", Duration.ofSeconds(120));
        assertThat(job.status().path("history")).anySatisfy(h -> assertThat(h.path("message").asString())
                .containsPattern("\\d finished partition\\(s\\) to generate again on cloud CLOUD_B: their parts are on cloud"
                        + " CLOUD_A, and it has not been Ready since"));
        List<JsonNode> tasks = tasks(job.metadata().uid());
        assertThat(tasks).allSatisfy(t -> {
            assertThat(t.path("cloud").asString()).isEqualTo("CLOUD_B");
            assertThat(t.path("result").path("cloud").asString()).isEqualTo("CLOUD_B");
        });
        try (var storeB = s3(b)) {
            assertPartsIdenticalToOfflineGeneration(tasks, PARTS, Map.of("CLOUD_B", objects(storeB, "events-b")));
        }
        // CLOUD_A back, to look inside: the parts it held are orphans that no manifest names.
        S3ProxyServer again = S3ProxyServer.start(dir.resolve("s3-a"), portA);
        closeAfter.add(again);
        try (var storeA = s3(again)) {
            assertThat(objects(storeA, "events-a").keySet()).isNotEmpty().doesNotContain(PREFIX + "/_manifest.json");
        }
    }
}
