package io.skyforge.sync.replication;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Tuning of one logical bucket's replication (from {@code spec.replication} of a LogicalBucket).
 *
 * @param scanInterval          how often every copy is listed to find out-of-band changes (≤ 30 s by default)
 * @param keepLosers            copy each losing version to {@code <key>.conflict-<cloud>-<hlc>}
 * @param tombstoneWindow       how long a delete waits for an unreachable copy before it is collected
 *                              anyway (that copy then gets a full resync), and how long a collected
 *                              tombstone is still remembered
 * @param maxDeleteShare        share [0..1] of a copy's known objects that may vanish from one listing
 *                              before sync pauses instead of deleting (0: any pass reaching
 *                              {@code massDeleteMinObjects} pauses)
 * @param massDeleteMinObjects  the guard ignores passes with fewer vanished objects than this
 * @param workers               keys reconciled in parallel
 * @param retryInterval         how often an unreachable copy is probed and its backlog retried
 */
public record SyncConfig(Duration scanInterval, boolean keepLosers, Duration tombstoneWindow,
                         double maxDeleteShare, int massDeleteMinObjects, int workers, Duration retryInterval) {

    public static final SyncConfig DEFAULTS = new SyncConfig(Duration.ofSeconds(15), false, Duration.ofHours(24),
            0.5, 10, 32, Duration.ofSeconds(1));

    public SyncConfig {
        List<Violation> v = new ArrayList<>();
        if (scanInterval == null || scanInterval.isNegative() || scanInterval.isZero()) {
            v.add(Violation.at("scanInterval", "must be a positive duration"));
        }
        if (tombstoneWindow == null || tombstoneWindow.isNegative() || tombstoneWindow.isZero()) {
            v.add(Violation.at("tombstoneWindow", "must be a positive duration"));
        }
        if (!(maxDeleteShare >= 0 && maxDeleteShare <= 1)) {
            v.add(Violation.at("maxDeleteShare", "must be in [0, 1]: " + maxDeleteShare));
        }
        if (massDeleteMinObjects < 1) {
            v.add(Violation.at("massDeleteMinObjects", "must be at least 1"));
        }
        if (workers < 1) {
            v.add(Violation.at("workers", "must be at least 1"));
        }
        if (retryInterval == null || retryInterval.isNegative() || retryInterval.isZero()) {
            v.add(Violation.at("retryInterval", "must be a positive duration"));
        }
        if (!v.isEmpty()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "invalid sync config: "
                    + String.join("; ", v.stream().map(Violation::describe).toList()), v);
        }
    }

    public SyncConfig withScanInterval(Duration d) {
        return new SyncConfig(d, keepLosers, tombstoneWindow, maxDeleteShare, massDeleteMinObjects, workers, retryInterval);
    }

    public SyncConfig withKeepLosers(boolean b) {
        return new SyncConfig(scanInterval, b, tombstoneWindow, maxDeleteShare, massDeleteMinObjects, workers, retryInterval);
    }

    public SyncConfig withTombstoneWindow(Duration d) {
        return new SyncConfig(scanInterval, keepLosers, d, maxDeleteShare, massDeleteMinObjects, workers, retryInterval);
    }

    public SyncConfig withMassDeleteGuard(double share, int minObjects) {
        return new SyncConfig(scanInterval, keepLosers, tombstoneWindow, share, minObjects, workers, retryInterval);
    }

    public SyncConfig withWorkers(int n) {
        return new SyncConfig(scanInterval, keepLosers, tombstoneWindow, maxDeleteShare, massDeleteMinObjects, n, retryInterval);
    }

    public SyncConfig withRetryInterval(Duration d) {
        return new SyncConfig(scanInterval, keepLosers, tombstoneWindow, maxDeleteShare, massDeleteMinObjects, workers, d);
    }
}
