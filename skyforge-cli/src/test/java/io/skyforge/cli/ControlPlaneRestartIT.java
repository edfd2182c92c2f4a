package io.skyforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.core.model.Resource;
import io.skyforge.spi.storage.ObjectInfo;
import io.skyforge.testkit.storage.S3ProxyServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The control plane killed with SIGKILL in the middle of a job and started again on the same data
 * dir: the job resumes and succeeds without redoing a partition that had finished — their attempt
 * counts, results and stored objects are exactly as before the kill — while the worker processes
 * ride through the outage, retrying their reports until the server is back.
 */
class ControlPlaneRestartIT extends WorkerScenario {

    static final int PARTS = 12;
    /** Longer than the restart takes, so running partitions keep their leases through it. */
    static final List<String> PROPS = List.of("skyforge.jobs.lease=30s", "skyforge.jobs.retry-backoff=200ms",
            "skyforge.cloud.probe-interval=1s", "skyforge.bucket.resync-interval=1s", "skyforge.jobs.reconcile-interval=100ms");

    @Test
    void shouldResumeAJobAfterAControlPlaneRestartWithoutRedoingFinishedPartitions() throws Exception {
        S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("s3"));
        closeAfter.add(s3);
        processes.env("CLOUD_SECRET", S3ProxyServer.SECRET_KEY);
        int port = Processes.freePort();
        String config = "storage_providers:\n" + s3Cloud("CLOUD_E", s3, "CLOUD_SECRET", "labels: {jurisdiction: eu}",
                "compute: {type: worker, slots: 2}");
        Processes.Child server = startServer(port, config, PROPS);
        List<Processes.Child> workers = new ArrayList<>();
        for (String name : List.of("worker-1", "worker-2")) {
            workers.add(startWorker(name, "CLOUD_E"));
        }
        awaitReady("cloud/CLOUD_E", null);
        applyEventsBucket("""
                providers:
                  - {cloud: CLOUD_E, physicalId: events-e}
                """);
        applyEventsJob(PARTS, null);
        String uid = awaitPhase("events", "Running", Duration.ofSeconds(60)).metadata().uid();

        Processes.awaitUntil(Duration.ofSeconds(60), () -> succeeded(uid).size() >= 3, processes::tails);
        // What had finished by the kill (at least): the partitions a redo would show up on.
        Map<Integer, JsonNode> finished = new HashMap<>();
        for (JsonNode t : tasks(uid)) {
            if (t.path("state").asString().equals("SUCCEEDED")) {
                finished.put(t.path("index").asInt(), t);
            }
        }
        server.kill();
        assertThat(finished).as("the job was half-way when the control plane died").hasSizeBetween(3, PARTS - 2);
        Map<Integer, ObjectInfo> objects = new HashMap<>();
        try (var store = s3(s3)) {
            for (var e : finished.entrySet()) {
                objects.put(e.getKey(), store.head("events-e", e.getValue().path("result").path("objectKey").asString()).orElseThrow());
            }
            startServer(port, config, PROPS); // the same port and data dir

            Resource job = awaitPhase("events", "Succeeded", Duration.ofSeconds(90));
            List<JsonNode> tasks = tasks(uid);
            for (var e : finished.entrySet()) {
                JsonNode now = tasks.get(e.getKey());
                assertThat(now.path("attempts").asInt()).as("task " + e.getKey() + " was not run again").isEqualTo(1);
                assertThat(now.path("result")).isEqualTo(e.getValue().path("result"));
                ObjectInfo stored = store.head("events-e", now.path("result").path("objectKey").asString()).orElseThrow();
                assertThat(stored.lastModified()).as("part of task " + e.getKey() + " was not rewritten")
                        .isEqualTo(objects.get(e.getKey()).lastModified());
                assertThat(stored.etag()).isEqualTo(objects.get(e.getKey()).etag());
            }
            assertThat(job.status().path("partitions").path("succeeded").asInt()).isEqualTo(PARTS);
            assertThat(workers).allSatisfy(w -> assertThat(w.alive()).as(w.name + " rode through the restart").isTrue());
            assertPartsIdenticalToOfflineGeneration(tasks, PARTS, Map.of("CLOUD_E", objects(store, "events-e")));
        }
    }

    private List<Integer> succeeded(String uid) {
        try {
            return tasks(uid).stream().filter(t -> t.path("state").asString().equals("SUCCEEDED"))
                    .map(t -> t.path("index").asInt()).toList();
        } catch (Exception e) {
            return List.of();
        }
    }
}
