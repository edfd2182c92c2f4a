package io.skyforge.control.job;

import io.skyforge.control.store.Transactions;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * DataJob partition tasks with leases, in the control plane's database (table {@code job_tasks}).
 * Claims are compare-and-set updates, so two workers (or two control-plane replicas) never own the
 * same task at once; an expired lease makes the task claimable again. A report (heartbeat,
 * success, failure) must carry the lease of the current attempt and arrive while it is fresh, else
 * it is refused with {@code SF-CONFLICT}: a worker that was presumed dead cannot overwrite its
 * successor's work, and a late one cannot resurrect a lease the queue already let go.
 *
 * <p>{@code lease_expires_at} is the moment a task becomes claimable: for a running task the end
 * of its lease, for a pending one the end of its retry backoff (null: claimable now).
 */
public final class TaskQueue {

    private static final String COLUMNS = "job_uid, task_index, namespace, job_name, table_name, part, parts, cloud,"
            + " state, attempts, lease_owner, lease_expires_at, result, last_error";

    /** Pending with its backoff over, or running with an expired lease; binds one timestamp (now). */
    private static final String CLAIMABLE = "state IN ('PENDING', 'RUNNING') AND (lease_expires_at IS NULL OR lease_expires_at <= ?)";
    /** A report's lease: this attempt of this owner, running, not expired; binds job, index, owner, attempt, now. */
    private static final String HELD = "job_uid = ? AND task_index = ? AND lease_owner = ? AND attempts = ? AND state = 'RUNNING'"
            + " AND lease_expires_at > ?";

    private final DataSource dataSource;
    private final Clock clock;

    public TaskQueue(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Adds a job's plan; tasks already there (a control-plane restart re-planning) are kept as they are. */
    public void enqueue(List<PartitionTask> tasks) {
        String sql = "INSERT INTO job_tasks (" + COLUMNS + ", updated_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, NULL,"
                + " NULL, NULL, ? WHERE NOT EXISTS (SELECT 1 FROM job_tasks WHERE job_uid = ? AND task_index = ?)";
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Timestamp now = Timestamp.from(clock.instant());
                for (PartitionTask t : tasks) {
                    ps.setString(1, t.jobUid());
                    ps.setInt(2, t.index());
                    ps.setString(3, t.namespace());
                    ps.setString(4, t.jobName());
                    ps.setString(5, t.table());
                    ps.setInt(6, t.part());
                    ps.setInt(7, t.parts());
                    ps.setString(8, t.cloud());
                    ps.setString(9, PartitionTask.State.PENDING.name());
                    ps.setTimestamp(10, now);
                    ps.setString(11, t.jobUid());
                    ps.setInt(12, t.index());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /**
     * Claims one task for {@code cloud}: a pending one whose retry backoff is over, or one whose
     * lease expired (its worker is presumed dead). Oldest job first, then task index, so claims are
     * deterministic.
     */
    public Optional<PartitionTask> claim(String cloud, String owner, Duration lease) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Instant now = clock.instant();
            List<PartitionTask> candidates = query("SELECT " + COLUMNS + " FROM job_tasks WHERE cloud = ? AND " + CLAIMABLE
                    + " ORDER BY updated_at, job_uid, task_index LIMIT 8", ps -> {
                        ps.setString(1, cloud);
                        ps.setTimestamp(2, Timestamp.from(now));
                    });
            for (PartitionTask t : candidates) {
                Optional<PartitionTask> claimed = tryClaim(t, owner, lease, now);
                if (claimed.isPresent()) {
                    return claimed;
                }
            }
            if (candidates.isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Claims one given task if it is claimable on {@code cloud} now; empty otherwise ({@link #get}
     * tells why: finished, held by another, backing off, or assigned to another cloud).
     */
    public Optional<PartitionTask> claim(String jobUid, int index, String cloud, String owner, Duration lease) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Instant now = clock.instant();
            Optional<PartitionTask> current = get(jobUid, index);
            if (current.isEmpty() || !current.get().cloud().equals(cloud) || !claimable(current.get(), now)) {
                return Optional.empty();
            }
            Optional<PartitionTask> claimed = tryClaim(current.get(), owner, lease, now);
            if (claimed.isPresent()) {
                return claimed;
            }
        }
        return Optional.empty();
    }

    /** Whether a task may be claimed at {@code now}; the same rule as {@link #CLAIMABLE}. */
    public static boolean claimable(PartitionTask t, Instant now) {
        boolean live = t.state() == PartitionTask.State.PENDING || t.state() == PartitionTask.State.RUNNING;
        return live && (t.leaseExpiresAt() == null || !t.leaseExpiresAt().isAfter(now));
    }

    private Optional<PartitionTask> tryClaim(PartitionTask t, String owner, Duration lease, Instant now) {
        // The compare-and-set: same attempt count, same cloud, still claimable. Whoever updates first wins.
        int updated = update("UPDATE job_tasks SET state = 'RUNNING', attempts = attempts + 1, lease_owner = ?,"
                + " lease_expires_at = ?, updated_at = ? WHERE job_uid = ? AND task_index = ? AND attempts = ?"
                + " AND cloud = ? AND " + CLAIMABLE, ps -> {
                    ps.setString(1, owner);
                    ps.setTimestamp(2, Timestamp.from(now.plus(lease)));
                    ps.setTimestamp(3, Timestamp.from(now));
                    ps.setString(4, t.jobUid());
                    ps.setInt(5, t.index());
                    ps.setInt(6, t.attempts());
                    ps.setString(7, t.cloud());
                    ps.setTimestamp(8, Timestamp.from(now));
                });
        return updated == 1 ? get(t.jobUid(), t.index()) : Optional.empty();
    }

    /** Extends a lease; refused when the lease expired or is not the current one (the task was given to another). */
    public PartitionTask heartbeat(PartitionTask.Lease lease, Duration extension) {
        Instant now = clock.instant();
        requireCurrent(lease, update("UPDATE job_tasks SET lease_expires_at = ?, updated_at = ? WHERE " + HELD, ps -> {
            ps.setTimestamp(1, Timestamp.from(now.plus(extension)));
            ps.setTimestamp(2, Timestamp.from(now));
            bindLease(ps, 3, lease, now);
        }), "heartbeat", now);
        return get(lease.jobUid(), lease.index()).orElseThrow();
    }

    /** Records success with the part's result (rows, bytes, sha256 as JSON). */
    public void succeed(PartitionTask.Lease lease, String resultJson) {
        Instant now = clock.instant();
        requireCurrent(lease, update("UPDATE job_tasks SET state = 'SUCCEEDED', result = ?, lease_expires_at = NULL,"
                + " updated_at = ? WHERE " + HELD, ps -> {
                    ps.setString(1, resultJson);
                    ps.setTimestamp(2, Timestamp.from(now));
                    bindLease(ps, 3, lease, now);
                }), "completion", now);
    }

    /**
     * Records a failed attempt. With attempts left the task goes back to PENDING (possibly for
     * another cloud), claimable again from {@code retryAt}; otherwise it is FAILED for good.
     */
    public void fail(PartitionTask.Lease lease, String error, int maxAttempts, String retryCloud, Instant retryAt) {
        Instant now = clock.instant();
        requireCurrent(lease, update("UPDATE job_tasks SET state = CASE WHEN attempts >= ? THEN 'FAILED' ELSE 'PENDING' END,"
                + " cloud = ?, last_error = ?, lease_owner = NULL, lease_expires_at = CASE WHEN attempts >= ? THEN NULL"
                // PostgreSQL cannot infer a parameter's type inside CASE: say it.
                + " ELSE CAST(? AS TIMESTAMP WITH TIME ZONE) END, updated_at = ? WHERE " + HELD, ps -> {
                    ps.setInt(1, maxAttempts);
                    ps.setString(2, retryCloud);
                    ps.setString(3, clip(error));
                    ps.setInt(4, maxAttempts);
                    ps.setTimestamp(5, Timestamp.from(retryAt));
                    ps.setTimestamp(6, Timestamp.from(now));
                    bindLease(ps, 7, lease, now);
                }), "failure report", now);
    }

    /**
     * Hands a claimed task back, claimable again at once: its worker is stopping (SIGTERM, a local
     * backend closing) and abandoned the part unwritten. The attempt is not counted — it was cut
     * short, not failed — so a fleet drained and restarted many times cannot use up a partition's
     * {@code backoffLimit}. The next claim gets the same attempt number; that is safe because the
     * release is the old owner's last word on the task (it reports nothing after it), and any other
     * owner's lease differs by owner.
     */
    public void release(PartitionTask.Lease lease) {
        Instant now = clock.instant();
        requireCurrent(lease, update("UPDATE job_tasks SET state = 'PENDING', attempts = attempts - 1, lease_owner = NULL,"
                + " lease_expires_at = NULL, updated_at = ? WHERE " + HELD, ps -> {
                    ps.setTimestamp(1, Timestamp.from(now));
                    bindLease(ps, 2, lease, now);
                }), "release", now);
    }

    /**
     * Fails, for good, the tasks of a job whose worker vanished (lease expired) in their last
     * allowed attempt: a partition that kills its worker every time must not be retried forever.
     * Returns how many.
     */
    public int failAbandoned(String jobUid, int maxAttempts) {
        Instant now = clock.instant();
        return update("UPDATE job_tasks SET state = 'FAILED', last_error = ?, lease_owner = NULL, lease_expires_at = NULL,"
                + " updated_at = ? WHERE job_uid = ? AND state = 'RUNNING' AND lease_expires_at <= ? AND attempts >= ?", ps -> {
                    ps.setString(1, "the worker of the last allowed attempt (" + maxAttempts + ") stopped renewing its lease");
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setString(3, jobUid);
                    ps.setTimestamp(4, Timestamp.from(now));
                    ps.setInt(5, maxAttempts);
                });
    }

    /**
     * Moves a job's pending and expired-lease tasks to another cloud (their own became unhealthy);
     * returns how many. Tasks whose lease is still fresh stay where they are.
     */
    public int reroute(String jobUid, String fromCloud, String toCloud) {
        Instant now = clock.instant();
        return update("UPDATE job_tasks SET cloud = ?, updated_at = ? WHERE job_uid = ? AND cloud = ? AND (state = 'PENDING'"
                + " OR (state = 'RUNNING' AND lease_expires_at <= ?))", ps -> {
                    ps.setString(1, toCloud);
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setString(3, jobUid);
                    ps.setString(4, fromCloud);
                    ps.setTimestamp(5, Timestamp.from(now));
                });
    }

    /**
     * Sends a finished task back to pending on another cloud: its part lies on a cloud that is gone,
     * so it is generated again (the same bytes) where placement says. Returns 1, or 0 when the task
     * is not (or no longer) finished.
     */
    public int regenerate(String jobUid, int index, String toCloud) {
        Instant now = clock.instant();
        return update("UPDATE job_tasks SET state = 'PENDING', cloud = ?, result = NULL, lease_owner = NULL,"
                + " lease_expires_at = NULL, updated_at = ? WHERE job_uid = ? AND task_index = ? AND state = 'SUCCEEDED'", ps -> {
                    ps.setString(1, toCloud);
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setString(3, jobUid);
                    ps.setInt(4, index);
                });
    }

    public Optional<PartitionTask> get(String jobUid, int index) {
        List<PartitionTask> l = query("SELECT " + COLUMNS + " FROM job_tasks WHERE job_uid = ? AND task_index = ?", ps -> {
            ps.setString(1, jobUid);
            ps.setInt(2, index);
        });
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    public List<PartitionTask> tasks(String jobUid) {
        return query("SELECT " + COLUMNS + " FROM job_tasks WHERE job_uid = ? ORDER BY task_index", ps -> ps.setString(1, jobUid));
    }

    /** Task counts by state for a job. */
    public Map<PartitionTask.State, Integer> summary(String jobUid) {
        Map<PartitionTask.State, Integer> out = new TreeMap<>();
        for (PartitionTask.State s : PartitionTask.State.values()) {
            out.put(s, 0);
        }
        for (PartitionTask t : tasks(jobUid)) {
            out.merge(t.state(), 1, Integer::sum);
        }
        return out;
    }

    /** Tasks running now with a fresh lease, per cloud: the load placement sees. */
    public Map<String, Integer> runningByCloud() {
        Map<String, Integer> out = new TreeMap<>();
        for (PartitionTask t : query("SELECT " + COLUMNS + " FROM job_tasks WHERE state = 'RUNNING' AND lease_expires_at > ?",
                ps -> ps.setTimestamp(1, Timestamp.from(clock.instant())))) {
            out.merge(t.cloud(), 1, Integer::sum);
        }
        return out;
    }

    /** Every job that has tasks in the queue. */
    public List<String> jobUids() {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT job_uid FROM job_tasks ORDER BY job_uid");
                 ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        });
    }

    /** Withdraws a job's tasks that no worker holds (suspend); finished and running ones stay. */
    public int removePending(String jobUid) {
        return update("DELETE FROM job_tasks WHERE job_uid = ? AND state = 'PENDING'", ps -> ps.setString(1, jobUid));
    }

    /** Forgets a job's tasks (after the job is deleted). */
    public int remove(String jobUid) {
        return update("DELETE FROM job_tasks WHERE job_uid = ?", ps -> ps.setString(1, jobUid));
    }

    /**
     * Fails with {@code SF-CONFLICT}, saying why, unless the lease is held now (running, this owner
     * and attempt, not expired): checked before a report's costlier checks, and again atomically by
     * the report itself.
     */
    public void requireHeld(PartitionTask.Lease lease, String what) {
        Instant now = clock.instant();
        Optional<PartitionTask> t = get(lease.jobUid(), lease.index());
        boolean held = t.isPresent() && t.get().state() == PartitionTask.State.RUNNING && t.get().attempts() == lease.attempt()
                && lease.owner().equals(t.get().leaseOwner()) && t.get().leaseExpiresAt() != null
                && t.get().leaseExpiresAt().isAfter(now);
        requireCurrent(lease, held ? 1 : 0, what, now);
    }

    /** Refuses a report that changed nothing, saying what happened to the lease it carried. */
    private void requireCurrent(PartitionTask.Lease lease, int updated, String what, Instant now) {
        if (updated == 1) {
            return;
        }
        Optional<PartitionTask> t = get(lease.jobUid(), lease.index());
        String why;
        if (t.isEmpty()) {
            why = "there is no such task (the job was deleted, or the lease names another job)";
        } else if (t.get().state() == PartitionTask.State.RUNNING && t.get().attempts() == lease.attempt()
                && lease.owner().equals(t.get().leaseOwner())) {
            why = "its lease expired at " + t.get().leaseExpiresAt() + " (now " + now + ")";
        } else if (t.get().state() == PartitionTask.State.RUNNING) {
            why = "it is held by " + t.get().leaseOwner() + " in attempt " + t.get().attempts() + " now";
        } else {
            why = "it is " + t.get().state() + " after attempt " + t.get().attempts();
        }
        throw new SkyforgeException(ErrorCode.CONFLICT, what + " refused: task " + lease.index() + " of job " + lease.jobUid()
                + " is not held by " + lease.owner() + " in attempt " + lease.attempt() + ": " + why);
    }

    private static String clip(String error) {
        return error == null ? "" : error.length() > 4000 ? error.substring(0, 4000) : error;
    }

    private static void bindLease(PreparedStatement ps, int from, PartitionTask.Lease lease, Instant now) throws SQLException {
        ps.setString(from, lease.jobUid());
        ps.setInt(from + 1, lease.index());
        ps.setString(from + 2, lease.owner());
        ps.setInt(from + 3, lease.attempt());
        ps.setTimestamp(from + 4, Timestamp.from(now));
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int update(String sql, Binder binder) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate();
            }
        });
    }

    private List<PartitionTask> query(String sql, Binder binder) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    List<PartitionTask> out = new ArrayList<>();
                    while (rs.next()) {
                        Timestamp lease = rs.getTimestamp(12);
                        out.add(new PartitionTask(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getInt(6), rs.getInt(7), rs.getString(8),
                                PartitionTask.State.valueOf(rs.getString(9)), rs.getInt(10), rs.getString(11),
                                lease == null ? null : lease.toInstant(), rs.getString(13), rs.getString(14)));
                    }
                    return out;
                }
            }
        });
    }

    private <T> T inTransaction(Transactions.Work<T> work) {
        return Transactions.run(dataSource, "task queue", work);
    }
}
