package io.skyforge.control.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.control.store.JdbcResourceStore;
import io.skyforge.core.model.Resource;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retry policy workers get from the control plane: a failed partition waits 1 s, 2 s, 4 s ...
 * (capped) before its next attempt, and fails for good after {@code 1 + spec.backoffLimit}
 * attempts. Time is a clock the test moves, so nothing sleeps and nothing is timed.
 */
class QueueLeasesTest extends JobFixture {

    @TempDir
    Path storeDir;

    final TaskQueueContract.ManualClock clock = new TaskQueueContract.ManualClock();
    JdbcResourceStore store;
    TaskQueue queue;
    QueueLeases leases;

    @BeforeEach
    void openQueue() {
        store = JdbcResourceStore.openDataDir(storeDir);
        queue = new TaskQueue(store.dataSource(), clock);
        leases = new QueueLeases(queue, runtime, Duration.ofSeconds(30),
                new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5)), clock);
    }

    @AfterEach
    void closeQueue() {
        store.close();
    }

    private void submit(String uid, String extraSpec, int parts, String cloud) {
        Resource job = job(extraSpec).withMetadata(job("").metadata().withStoreFields(uid, "1", 1, null));
        jobs.put("default/shop-job", job);
        List<PartitionTask> plan = new ArrayList<>();
        for (int k = 0; k < parts; k++) {
            plan.add(PartitionTask.planned(uid, k, "default", "shop-job", "orders", k, parts, cloud));
        }
        queue.enqueue(plan);
    }

    /** Fails the task's current attempt and returns how long it stays unclaimable. */
    private Duration failAndMeasureBackoff(String error) {
        TaskLeases.Claim c = leases.claim("A", "w").orElseThrow();
        Instant failedAt = clock.instant();
        leases.fail(c.task().lease(), error);
        PartitionTask after = queue.get(c.task().jobUid(), c.task().index()).orElseThrow();
        if (after.state() == PartitionTask.State.FAILED) {
            return null;
        }
        Duration backoff = Duration.between(failedAt, after.leaseExpiresAt());
        clock.advance(backoff.minusMillis(1));
        assertThat(leases.claim("A", "w")).as("claimable before its backoff ended").isEmpty();
        clock.advance(Duration.ofMillis(1));
        return backoff;
    }

    @Test
    void shouldBackOffExponentiallyUpToTheCapAndFailAfterBackoffLimitRetries() {
        submit("uid-backoff", "  backoffLimit: 4\n", 1, "A");
        List<Duration> waits = new ArrayList<>();
        Duration d;
        while ((d = failAndMeasureBackoff("SF-THROTTLED: slow down")) != null) {
            waits.add(d);
        }
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(5));
        PartitionTask failed = queue.get("uid-backoff", 0).orElseThrow();
        assertThat(failed.state()).isEqualTo(PartitionTask.State.FAILED);
        assertThat(failed.attempts()).isEqualTo(5);
        assertThat(failed.lastError()).isEqualTo("SF-THROTTLED: slow down");
    }

    @Test
    void shouldRunAPartitionOnceWhenBackoffLimitIsZeroAndFourTimesByDefault() {
        submit("uid-zero", "  backoffLimit: 0\n", 1, "A");
        assertThat(failAndMeasureBackoff("boom")).isNull();
        assertThat(queue.get("uid-zero", 0).orElseThrow().attempts()).isEqualTo(1);

        submit("uid-default", "", 1, "A");
        int attempts = 0;
        while (failAndMeasureBackoff("boom") != null) {
            attempts++;
        }
        assertThat(attempts + 1).isEqualTo(RetryBackoff.maxAttempts(null)).isEqualTo(4);
    }

    @Test
    void shouldTellAPodWhyItsPartitionCannotBeClaimedNow() {
        submit("uid-pod", "", 2, "A");
        TaskLeases.ClaimAnswer first = leases.claim("A", "pod-1", "default", "shop-job", 1);
        assertThat(first.outcome()).isEqualTo(TaskLeases.Outcome.CLAIMED);
        assertThat(first.claim().task().index()).isEqualTo(1);

        TaskLeases.ClaimAnswer busy = leases.claim("A", "pod-1b", "default", "shop-job", 1);
        assertThat(busy.outcome()).isEqualTo(TaskLeases.Outcome.WAIT);
        assertThat(busy.retryAfter()).as("the first lease, until pod-1's first heartbeat").isEqualTo(Duration.ofSeconds(10));
        assertThat(busy.reason()).contains("held by pod-1");

        assertThat(leases.claim("B", "pod-0", "default", "shop-job", 0).outcome()).isEqualTo(TaskLeases.Outcome.ELSEWHERE);
        leases.succeed(first.claim().task().lease(), "{}");
        assertThat(leases.claim("A", "pod-1c", "default", "shop-job", 1).outcome()).isEqualTo(TaskLeases.Outcome.DONE);
        assertThatThrownBy(() -> leases.claim("A", "pod-9", "default", "shop-job", 9))
                .satisfies(e -> assertThat(((SkyforgeException) e).code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("has tasks 0..1, not 9");
        assertThatThrownBy(() -> leases.claim("A", "pod-0", "default", "nope", 0))
                .satisfies(e -> assertThat(((SkyforgeException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void shouldHoldAFreshClaimOnlyBrieflyUntilItsFirstHeartbeatThenForTheWholeLease() {
        submit("uid-first", "", 1, "A");
        Instant claimedAt = clock.instant();
        TaskLeases.Claim c = leases.claim("A", "gone-worker").orElseThrow();
        assertThat(c.lease()).isEqualTo(Duration.ofSeconds(10));
        assertThat(queue.get("uid-first", 0).orElseThrow().leaseExpiresAt()).isEqualTo(claimedAt.plusSeconds(10));

        // nobody heartbeats (the claim was answered into a dead connection): the task is claimable after 10 s, not 30
        clock.advance(Duration.ofSeconds(10).plusMillis(1));
        TaskLeases.Claim again = leases.claim("A", "live-worker").orElseThrow();
        assertThat(again.task().leaseOwner()).isEqualTo("live-worker");

        // a live worker's heartbeat extends the claim to the whole lease
        Instant beatAt = clock.instant();
        leases.heartbeat(again.task().lease());
        assertThat(queue.get("uid-first", 0).orElseThrow().leaseExpiresAt()).isEqualTo(beatAt.plusSeconds(30));
    }

    @Test
    void shouldComputeTheDelayOfEachAttemptWithoutOverflowing() {
        RetryBackoff b = new RetryBackoff(Duration.ofMillis(500), Duration.ofMinutes(1));
        assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.delay(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delay(7)).isEqualTo(Duration.ofSeconds(32));
        assertThat(b.delay(8)).as("64 s, capped").isEqualTo(Duration.ofMinutes(1));
        assertThat(b.delay(1000)).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> new RetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
