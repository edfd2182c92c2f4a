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

/** In-process workers drain a job's tasks on two clouds, and re-run a task whose worker vanished. */
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
}
