package io.skyforge.control.job;

import io.skyforge.control.store.Transactions;
import io.skyforge.spi.error.SkyforgeException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the control plane last heard from each worker process of each cloud (table
 * {@code compute_workers}): the worker API records every claim, heartbeat and report. Kept in the
 * database rather than in memory so that every control-plane replica sees the workers that call
 * another one, and a restarted control plane remembers who was there.
 */
public final class WorkerSightings {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerSightings.class);

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration throttle;
    /** When this process last wrote each (cloud, owner): an idle worker long-polls, a busy one heartbeats; one write per throttle is enough. */
    private final Map<String, Instant> written = new ConcurrentHashMap<>();

    /** One worker of one cloud, last heard from {@code at}. */
    public record Sighting(String cloud, String owner, Instant at) {
    }

    /** @param throttle how often one worker's calls are written at most (its calls in between change nothing that matters) */
    public WorkerSightings(DataSource dataSource, Clock clock, Duration throttle) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
    }

    /**
     * A worker of {@code cloud} called now. Best effort: a write that fails (the database busy, a
     * replica recording the same first call) is tried again on the worker's next call, and never
     * fails the call itself.
     */
    public void seen(String cloud, String owner) {
        Instant now = clock.instant();
        String key = cloud + "\n" + owner;
        Instant last = written.get(key);
        if (last != null && last.plus(throttle).isAfter(now)) {
            return;
        }
        written.put(key, now);
        try {
            record(cloud, owner, now);
        } catch (SkyforgeException e) {
            written.remove(key);
            LOG.debug("worker {} of cloud {} not recorded: {}", owner, cloud, e.getMessage());
        }
    }

    private void record(String cloud, String owner, Instant now) {
        inTransaction(c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE compute_workers SET last_seen = ? WHERE cloud = ? AND owner = ?")) {
                up.setTimestamp(1, Timestamp.from(now));
                up.setString(2, cloud);
                up.setString(3, owner);
                if (up.executeUpdate() > 0) {
                    return null;
                }
            }
            // A first call; another replica inserting the same worker at the same moment is as good as this insert.
            try (PreparedStatement in = c.prepareStatement("INSERT INTO compute_workers (cloud, owner, last_seen) SELECT ?, ?, ?"
                    + " WHERE NOT EXISTS (SELECT 1 FROM compute_workers WHERE cloud = ? AND owner = ?)")) {
                in.setString(1, cloud);
                in.setString(2, owner);
                in.setTimestamp(3, Timestamp.from(now));
                in.setString(4, cloud);
                in.setString(5, owner);
                in.executeUpdate();
            }
            return null;
        });
    }

    /** Every worker heard from, by cloud, most recent first. */
    public Map<String, List<Sighting>> byCloud() {
        return inTransaction(c -> {
            Map<String, List<Sighting>> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT cloud, owner, last_seen FROM compute_workers"
                    + " ORDER BY cloud, last_seen DESC, owner");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Sighting s = new Sighting(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant());
                    out.computeIfAbsent(s.cloud(), k -> new ArrayList<>()).add(s);
                }
            }
            return out;
        });
    }

    /**
     * Forgets workers not heard from since {@code before}, except each cloud's most recent one (the
     * "last seen" a user is shown): pods and re-started workers have new names, and would otherwise
     * pile up. Returns how many were forgotten.
     */
    public int forgetOlderThan(Instant before) {
        written.values().removeIf(t -> t.isBefore(before));
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM compute_workers w WHERE w.last_seen < ? AND EXISTS"
                    + " (SELECT 1 FROM compute_workers n WHERE n.cloud = w.cloud AND n.last_seen > w.last_seen)")) {
                ps.setTimestamp(1, Timestamp.from(before));
                return ps.executeUpdate();
            }
        });
    }

    private <T> T inTransaction(Transactions.Work<T> work) {
        return Transactions.run(dataSource, "worker sightings", work);
    }
}
