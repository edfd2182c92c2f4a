package io.skyforge.control.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.control.store.JdbcResourceStore;
import io.skyforge.core.model.Resource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-process workers drain a job's tasks on two clouds, and re-run a task whose worker vanished; a
 * backend closed mid-partition hands its task back without interrupting anything.
 */
class LocalComputeBackendTest extends JobFixture {

    @TempDir
    Path storeDir;

    @Test
    void shouldRunEveryPartitionOnItsCloudAndReRunOneWhoseWorkerVanished() throws Exception {
        Resource job = job("  parallelism: 4\n").withMetadata(job("").metadata().withStoreFields("job-uid-1", "1", 1, null));
        jobs.put("default/shop-job", job);
        try (JdbcResourceStore store = JdbcResourceStore.openDataDir(storeDir)) {
            TaskQueue queue = new TaskQueue(store.dataSource(), Clock.systemUTC());
            PartitionRunner runner = new PartitionRunner(runtime, uploads, 1);
            PartitionRunner.Prepared p = runner.prepare(job);
            List<PartitionTask> plan = new ArrayList<>();
            for (String table : PartitionRunner.tables(p)) {
                for (int k = 0; k < 4; k++) {
                    plan.add(PartitionTask.planned("job-uid-1", plan.size(), "default", "shop-job", table, k, 4, k < 2 ? "A" : "B"));
                }
            }
            queue.enqueue(plan);
            // A worker that claims a task and dies: its lease runs out and the task is claimed again.
            PartitionTask ghost = queue.claim("A", "ghost", Duration.ofMillis(500)).orElseThrow();
            QueueLeases leases = new QueueLeases(queue, runtime, Duration.ofSeconds(5), RetryBackoff.DEFAULT, Clock.systemUTC());
            try (LocalComputeBackend a = new LocalComputeBackend("A", 2, leases, runner, runtime, "test");
                 LocalComputeBackend b = new LocalComputeBackend("B", 2, leases, runner, runtime, "test")) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (queue.summary("job-uid-1").get(PartitionTask.State.SUCCEEDED) < plan.size()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            }
            assertThat(queue.summary("job-uid-1").get(PartitionTask.State.SUCCEEDED)).isEqualTo(plan.size());
            PartitionTask rerun = queue.get("job-uid-1", ghost.index()).orElseThrow();
            assertThat(rerun.attempts()).isEqualTo(2);
            assertThat(rerun.leaseOwner()).startsWith("test/A/");
            runner.commit(p, queue.tasks("job-uid-1"));
            assertThat(runtime.objectStore("B").head("bucket-b", "shop/v1/_manifest.json")).isPresent();
            for (PartitionTask t : queue.tasks("job-uid-1")) {
                String bucketName = t.cloud().equals("A") ? "bucket-a" : "bucket-b";
                assertThat(t.result()).contains("\"cloud\":\"" + t.cloud() + "\"");
                assertThat(runtime.objectStore(t.cloud()).list(bucketName,
                        io.skyforge.spi.storage.ListRequest.prefix("shop/v1/" + t.table() + "/")).objects()).isNotEmpty();
            }
        }
    }

    /** One table big enough that a single partition takes seconds: close() lands in the middle of it. */
    static final String BIG = """
            apiVersion: data.mcp/v1
            kind: Dataset
            metadata: {name: big, namespace: default}
            spec:
              seed: 7
              tables:
                - name: events
                  rows: 2000000
                  columns:
                    - {name: id, type: bigint, generator: sequence}
                    - {name: email, type: varchar(120), generator: email}
                    - {name: note, type: varchar(200), generator: {kind: words, min: 3, max: 12}}
            """;

    @Test
    void shouldHandBackThePartitionBeingWrittenWhenClosedAndLeaveTheDatabaseUsable() throws Exception {
        dataset = io.skyforge.core.Manifests.read("big.yaml", BIG).get(0);
        Resource job = io.skyforge.core.Manifests.read("job.yaml", "apiVersion: batch.mcp/v1\nkind: DataJob\n"
                + "metadata: {name: big-job, namespace: default}\n"
                + "spec:\n  generate: {dataset: big}\n  output: {bucket: out, prefix: big/v1, format: csv}\n").get(0);
        job = job.withMetadata(job.metadata().withStoreFields("job-uid-2", "1", 1, null));
        jobs.put("default/big-job", job);
        try (JdbcResourceStore store = JdbcResourceStore.openDataDir(storeDir)) {
            TaskQueue queue = new TaskQueue(store.dataSource(), Clock.systemUTC());
            PartitionRunner runner = new PartitionRunner(runtime, uploads, 1);
            queue.enqueue(List.of(PartitionTask.planned("job-uid-2", 0, "default", "big-job", "events", 0, 1, "A")));
            // A lease far longer than the test: the task can only run again so soon if it was handed back.
            QueueLeases leases = new QueueLeases(queue, runtime, Duration.ofMinutes(10), RetryBackoff.DEFAULT, Clock.systemUTC());
            LocalComputeBackend first = new LocalComputeBackend("A", 1, leases, runner, runtime, "first");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (queue.get("job-uid-2", 0).orElseThrow().state() != PartitionTask.State.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(200); // into the partition's rows
            long closing = System.nanoTime();
            first.close();
            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(LocalComputeBackend.CLOSE_GRACE);

            PartitionTask returned = queue.get("job-uid-2", 0).orElseThrow();
            assertThat(returned.state()).as("handed back, not failed").isEqualTo(PartitionTask.State.PENDING);
            assertThat(returned.attempts()).as("the cut-short attempt is not counted").isZero();
            assertThat(returned.leaseExpiresAt()).as("claimable at once").isNull();
            assertThat(returned.lastError()).isNull();
            assertThat(runtime.objectStore("A").list("bucket-a", io.skyforge.spi.storage.ListRequest.prefix("big/v1/")).objects())
                    .as("the abandoned part never became an object").isEmpty();

            try (LocalComputeBackend second = new LocalComputeBackend("A", 1, leases, runner, runtime, "second")) {
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (queue.get("job-uid-2", 0).orElseThrow().state() != PartitionTask.State.SUCCEEDED
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
            PartitionTask done = queue.get("job-uid-2", 0).orElseThrow();
            assertThat(done.state()).isEqualTo(PartitionTask.State.SUCCEEDED);
            assertThat(done.leaseOwner()).isEqualTo("second/A/0");
            assertThat(done.attempts()).isEqualTo(1);
        }
    }
}
