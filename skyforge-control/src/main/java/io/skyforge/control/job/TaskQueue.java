package io.skyforge.control.job;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.sql.Connection;
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
 * success, failure) must carry the lease of the current attempt, else it is refused with
 * {@code SF-CONFLICT}: a worker that was presumed dead cannot overwrite its successor's work.
 */
public final class TaskQueue {

    private static final String COLUMNS = "job_uid, task_index, namespace, job_name, table_name, part, parts, cloud,"
            + " state, attempts, lease_owner, lease_expires_at, result, last_error";

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
     * Claims one task for {@code cloud}: a pending one, or one whose lease expired (its worker is
     * presumed dead). Oldest job first, then task index, so claims are deterministic.
     */
    public Optional<PartitionTask> claim(String cloud, String owner, Duration lease) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Instant now = clock.instant();
            List<PartitionTask> candidates = query("SELECT " + COLUMNS + " FROM job_tasks WHERE cloud = ? AND (state = 'PENDING'"
                    + " OR (state = 'RUNNING' AND lease_expires_at < ?)) ORDER BY updated_at, job_uid, task_index LIMIT 8",
                    ps -> {
                        ps.setString(1, cloud);
                        ps.setTimestamp(2, Timestamp.from(now));
                    });
            for (PartitionTask t : candidates) {
                int updated = update("UPDATE job_tasks SET state = 'RUNNING', attempts = attempts + 1, lease_owner = ?,"
                        + " lease_expires_at = ?, updated_at = ? WHERE job_uid = ? AND task_index = ? AND attempts = ?"
                        + " AND (state = 'PENDING' OR (state = 'RUNNING' AND lease_expires_at < ?))", ps -> {
                            ps.setString(1, owner);
                            ps.setTimestamp(2, Timestamp.from(now.plus(lease)));
                            ps.setTimestamp(3, Timestamp.from(now));
                            ps.setString(4, t.jobUid());
                            ps.setInt(5, t.index());
                            ps.setInt(6, t.attempts());
                            ps.setTimestamp(7, Timestamp.from(now));
                        });
                if (updated == 1) {
                    return get(t.jobUid(), t.index());
                }
            }
            if (candidates.isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Extends a lease; refused when the lease is not the current one (the task was given to another). */
    public void heartbeat(PartitionTask.Lease lease, Duration extension) {
        Instant now = clock.instant();
        requireCurrent(lease, update("UPDATE job_tasks SET lease_expires_at = ?, updated_at = ? WHERE job_uid = ?"
                + " AND task_index = ? AND lease_owner = ? AND attempts = ? AND state = 'RUNNING'", ps -> {
                    ps.setTimestamp(1, Timestamp.from(now.plus(extension)));
                    ps.setTimestamp(2, Timestamp.from(now));
                    bindLease(ps, 3, lease);
                }), "heartbeat");
    }

    /** Records success with the part's result (rows, bytes, sha256 as JSON). */
    public void succeed(PartitionTask.Lease lease, String resultJson) {
        Instant now = clock.instant();
        requireCurrent(lease, update("UPDATE job_tasks SET state = 'SUCCEEDED', result = ?, lease_expires_at = NULL,"
                + " updated_at = ? WHERE job_uid = ? AND task_index = ? AND lease_owner = ? AND attempts = ?"
                + " AND state = 'RUNNING'", ps -> {
                    ps.setString(1, resultJson);
                    ps.setTimestamp(2, Timestamp.from(now));
                    bindLease(ps, 3, lease);
                }), "completion");
    }

    /**
     * Records a failed attempt. With attempts left the task goes back to PENDING (possibly for
     * another cloud); otherwise it is FAILED for good.
     */
    public void fail(PartitionTask.Lease lease, String error, int maxAttempts, String retryCloud) {
        Instant now = clock.instant();
        String message = error == null ? "" : error.length() > 4000 ? error.substring(0, 4000) : error;
        requireCurrent(lease, update("UPDATE job_tasks SET state = CASE WHEN attempts >= ? THEN 'FAILED' ELSE 'PENDING' END,"
                + " cloud = ?, last_error = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ?"
                + " WHERE job_uid = ? AND task_index = ? AND lease_owner = ? AND attempts = ? AND state = 'RUNNING'", ps -> {
                    ps.setInt(1, maxAttempts);
                    ps.setString(2, retryCloud);
                    ps.setString(3, message);
                    ps.setTimestamp(4, Timestamp.from(now));
                    bindLease(ps, 5, lease);
                }), "failure report");
    }

    /**
     * Moves expired-lease tasks of a job to another cloud (its own became unhealthy); returns how many.
     * Tasks whose lease is still fresh stay where they are.
     */
    public int reroute(String jobUid, String fromCloud, String toCloud) {
        Instant now = clock.instant();
        return update("UPDATE job_tasks SET cloud = ?, updated_at = ? WHERE job_uid = ? AND cloud = ? AND (state = 'PENDING'"
                + " OR (state = 'RUNNING' AND lease_expires_at < ?))", ps -> {
                    ps.setString(1, toCloud);
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setString(3, jobUid);
                    ps.setString(4, fromCloud);
                    ps.setTimestamp(5, Timestamp.from(now));
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
        for (PartitionTask t : query("SELECT " + COLUMNS + " FROM job_tasks WHERE state = 'RUNNING' AND lease_expires_at >= ?",
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

    private static void requireCurrent(PartitionTask.Lease lease, int updated, String what) {
        if (updated != 1) {
            throw new SkyforgeException(ErrorCode.CONFLICT, what + " refused: task " + lease.index() + " of job "
                    + lease.jobUid() + " is not held by " + lease.owner() + " in attempt " + lease.attempt()
                    + " (its lease expired and it was given to another worker, or it was finished already)");
        }
    }

    private static void bindLease(PreparedStatement ps, int from, PartitionTask.Lease lease) throws SQLException {
        ps.setString(from, lease.jobUid());
        ps.setInt(from + 1, lease.index());
        ps.setString(from + 2, lease.owner());
        ps.setInt(from + 3, lease.attempt());
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
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

    private <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new SkyforgeException(ErrorCode.UNAVAILABLE, "task queue: " + e.getMessage(), e);
        }
    }
}
