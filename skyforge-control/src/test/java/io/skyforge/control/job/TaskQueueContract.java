package io.skyforge.control.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.control.store.JdbcResourceStore;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lease semantics of the task queue, run on each database the control plane supports. */
abstract class TaskQueueContract {

    /** A clock the test moves by hand, so lease expiry needs no sleeping. */
    static final class ManualClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    protected JdbcResourceStore store;
    protected final ManualClock clock = new ManualClock();
    protected TaskQueue queue;

    protected abstract JdbcResourceStore openStore() throws Exception;

    protected void dropStore() throws Exception {
    }

    @BeforeEach
    void open() throws Exception {
        store = openStore();
        queue = new TaskQueue(store.dataSource(), clock);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        dropStore();
    }

    static List<PartitionTask> plan(String job, int parts, String cloud) {
        List<PartitionTask> out = new ArrayList<>();
        for (int k = 0; k < parts; k++) {
            out.add(PartitionTask.planned(job, k, "default", "j", "orders", k, parts, cloud));
        }
        return out;
    }

    @Test
    void shouldHandEachTaskToExactlyOneOfManyConcurrentClaimers() throws Exception {
        queue.enqueue(plan("job-a", 40, "A"));
        Set<Integer> claimed = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch go = new CountDownLatch(1);
        for (int w = 0; w < 6; w++) {
            String owner = "worker-" + w;
            pool.submit(() -> {
                go.await();
                Optional<PartitionTask> t;
                while ((t = queue.claim("A", owner, Duration.ofMinutes(1))).isPresent()) {
                    if (!claimed.add(t.get().index())) {
                        duplicates.incrementAndGet();
                    }
                    queue.succeed(t.get().lease(), "{}");
                }
                return null;
            });
        }
        go.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(duplicates.get()).isZero();
        assertThat(claimed).hasSize(40);
        assertThat(queue.summary("job-a").get(PartitionTask.State.SUCCEEDED)).isEqualTo(40);
    }

    @Test
    void shouldOfferATaskAgainWhenItsLeaseExpires() {
        queue.enqueue(plan("job-b", 1, "A"));
        PartitionTask first = queue.claim("A", "w1", Duration.ofSeconds(30)).orElseThrow();
        assertThat(queue.claim("A", "w2", Duration.ofSeconds(30))).isEmpty();
        clock.advance(Duration.ofSeconds(31));
        PartitionTask second = queue.claim("A", "w2", Duration.ofSeconds(30)).orElseThrow();
        assertThat(second.index()).isEqualTo(first.index());
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.leaseOwner()).isEqualTo("w2");
    }

    @Test
    void shouldRefuseReportsFromAWorkerWhoseTaskWasGivenToAnother() {
        queue.enqueue(plan("job-c", 1, "A"));
        PartitionTask stale = queue.claim("A", "w1", Duration.ofSeconds(30)).orElseThrow();
        clock.advance(Duration.ofMinutes(1));
        PartitionTask fresh = queue.claim("A", "w2", Duration.ofSeconds(30)).orElseThrow();
        assertThatThrownBy(() -> queue.succeed(stale.lease(), "{\"rows\":1}"))
                .isInstanceOf(SkyforgeException.class)
                .satisfies(e -> assertThat(((SkyforgeException) e).code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("not held by w1");
        assertThatThrownBy(() -> queue.heartbeat(stale.lease(), Duration.ofSeconds(30))).isInstanceOf(SkyforgeException.class);
        queue.succeed(fresh.lease(), "{\"rows\":1}");
        assertThat(queue.get("job-c", 0).orElseThrow().result()).isEqualTo("{\"rows\":1}");
    }

    @Test
    void shouldRefuseAnotherJobsLease() {
        queue.enqueue(plan("job-d", 1, "A"));
        queue.enqueue(plan("job-e", 1, "A"));
        PartitionTask d = queue.claim("A", "w1", Duration.ofSeconds(30)).orElseThrow();
        PartitionTask.Lease forged = new PartitionTask.Lease(d.jobUid().equals("job-d") ? "job-e" : "job-d", 0, "w1", 1);
        assertThatThrownBy(() -> queue.succeed(forged, "{}")).isInstanceOf(SkyforgeException.class);
    }

    @Test
    void shouldKeepALeaseAliveWithHeartbeats() {
        queue.enqueue(plan("job-f", 1, "A"));
        PartitionTask t = queue.claim("A", "w1", Duration.ofSeconds(30)).orElseThrow();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(20));
            queue.heartbeat(t.lease(), Duration.ofSeconds(30));
        }
        assertThat(queue.claim("A", "w2", Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void shouldRetryAFailedTaskUntilItsAttemptsRunOut() {
        queue.enqueue(plan("job-g", 1, "A"));
        for (int attempt = 1; attempt <= 3; attempt++) {
            PartitionTask t = queue.claim("A", "w", Duration.ofSeconds(30)).orElseThrow();
            assertThat(t.attempts()).isEqualTo(attempt);
            queue.fail(t.lease(), "disk full", 3, "A", clock.instant());
        }
        PartitionTask last = queue.get("job-g", 0).orElseThrow();
        assertThat(last.state()).isEqualTo(PartitionTask.State.FAILED);
        assertThat(last.lastError()).isEqualTo("disk full");
        assertThat(queue.claim("A", "w", Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void shouldKeepFinishedTasksWhenThePlanIsEnqueuedAgainAfterARestart() {
        queue.enqueue(plan("job-h", 3, "A"));
        PartitionTask t = queue.claim("A", "w", Duration.ofSeconds(30)).orElseThrow();
        queue.succeed(t.lease(), "{\"rows\":5}");
        queue.enqueue(plan("job-h", 3, "A"));
        assertThat(queue.tasks("job-h")).hasSize(3);
        assertThat(queue.summary("job-h").get(PartitionTask.State.SUCCEEDED)).isEqualTo(1);
        assertThat(queue.summary("job-h").get(PartitionTask.State.PENDING)).isEqualTo(2);
    }

    @Test
    void shouldRerouteTasksWithExpiredLeasesToAnotherCloud() {
        queue.enqueue(plan("job-i", 2, "A"));
        PartitionTask held = queue.claim("A", "w", Duration.ofSeconds(30)).orElseThrow();
        clock.advance(Duration.ofSeconds(10));
        assertThat(queue.reroute("job-i", "A", "B")).isEqualTo(1);
        clock.advance(Duration.ofSeconds(30));
        assertThat(queue.reroute("job-i", "A", "B")).isEqualTo(1);
        List<PartitionTask> onB = new ArrayList<>();
        queue.claim("B", "w2", Duration.ofSeconds(30)).ifPresent(onB::add);
        queue.claim("B", "w2", Duration.ofSeconds(30)).ifPresent(onB::add);
        assertThat(onB).extracting(PartitionTask::index).containsExactlyInAnyOrder(0, 1);
        assertThat(onB).anySatisfy(t -> assertThat(t.index()).isEqualTo(held.index()));
    }

    @Test
    void shouldRefuseAReportWhoseLeaseExpiredEvenBeforeAnotherWorkerClaimedTheTask() {
        queue.enqueue(plan("job-j", 1, "A"));
        PartitionTask t = queue.claim("A", "w1", Duration.ofSeconds(30)).orElseThrow();
        clock.advance(Duration.ofSeconds(30));
        assertThatThrownBy(() -> queue.heartbeat(t.lease(), Duration.ofSeconds(30)))
                .isInstanceOf(SkyforgeException.class)
                .hasMessageContaining("its lease expired at 2026-01-01T00:00:30Z");
        assertThatThrownBy(() -> queue.succeed(t.lease(), "{}"))
                .satisfies(e -> assertThat(((SkyforgeException) e).code()).isEqualTo(ErrorCode.CONFLICT));
        assertThat(queue.get("job-j", 0).orElseThrow().state()).isEqualTo(PartitionTask.State.RUNNING);
        assertThat(queue.claim("A", "w2", Duration.ofSeconds(30)).orElseThrow().attempts()).isEqualTo(2);
    }

    @Test
    void shouldNotOfferAFailedTaskBeforeItsRetryTime() {
        queue.enqueue(plan("job-k", 1, "A"));
        PartitionTask t = queue.claim("A", "w1", Duration.ofSeconds(30)).orElseThrow();
        queue.fail(t.lease(), "throttled", 4, "A", clock.instant().plusSeconds(8));
        PartitionTask waiting = queue.get("job-k", 0).orElseThrow();
        assertThat(waiting.state()).isEqualTo(PartitionTask.State.PENDING);
        assertThat(waiting.leaseOwner()).isNull();
        clock.advance(Duration.ofMillis(7999));
        assertThat(queue.claim("A", "w2", Duration.ofSeconds(30))).isEmpty();
        assertThat(queue.claim("job-k", 0, "A", "w2", Duration.ofSeconds(30))).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(queue.claim("A", "w2", Duration.ofSeconds(30)).orElseThrow().attempts()).isEqualTo(2);
    }

    @Test
    void shouldClaimOneGivenTaskOnlyOnItsCloudAndOnlyWhenClaimable() {
        queue.enqueue(plan("job-l", 3, "A"));
        assertThat(queue.claim("job-l", 2, "B", "pod-2", Duration.ofSeconds(30))).as("another cloud's task").isEmpty();
        PartitionTask two = queue.claim("job-l", 2, "A", "pod-2", Duration.ofSeconds(30)).orElseThrow();
        assertThat(two.index()).isEqualTo(2);
        assertThat(two.leaseOwner()).isEqualTo("pod-2");
        assertThat(queue.claim("job-l", 2, "A", "pod-2b", Duration.ofSeconds(30))).as("held").isEmpty();
        assertThat(queue.claim("job-l", 7, "A", "pod-7", Duration.ofSeconds(30))).as("no such task").isEmpty();
        queue.succeed(two.lease(), "{}");
        assertThat(queue.claim("job-l", 2, "A", "pod-2c", Duration.ofSeconds(30))).as("finished").isEmpty();
        assertThat(queue.summary("job-l").get(PartitionTask.State.PENDING)).isEqualTo(2);
    }

    @Test
    void shouldFailATaskWhoseWorkerVanishedInItsLastAllowedAttempt() {
        queue.enqueue(plan("job-m", 2, "A"));
        queue.claim("A", "w1", Duration.ofSeconds(30)).orElseThrow();
        clock.advance(Duration.ofSeconds(31));
        queue.claim("A", "w2", Duration.ofSeconds(30)).orElseThrow(); // task 0 again, attempt 2
        assertThat(queue.failAbandoned("job-m", 2)).as("lease still fresh").isZero();
        clock.advance(Duration.ofSeconds(31));
        assertThat(queue.failAbandoned("job-m", 2)).isEqualTo(1);
        PartitionTask failed = queue.get("job-m", 0).orElseThrow();
        assertThat(failed.state()).isEqualTo(PartitionTask.State.FAILED);
        assertThat(failed.lastError()).contains("stopped renewing its lease");
        assertThat(queue.get("job-m", 1).orElseThrow().state()).isEqualTo(PartitionTask.State.PENDING);
    }
}
