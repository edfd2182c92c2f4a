package io.skyforge.sync.clock;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A hybrid logical clock (Kulkarni et al., 2014) for one node: every reading is greater than every
 * reading before it on this node and than every remote timestamp passed to {@link #update}, while
 * staying close to wall-clock time. Thread-safe.
 *
 * <p>A remote timestamp further ahead of the local wall clock than {@code maxSkew} is refused: accepting
 * it would drag this node's clock into the future, and every later write here would then win every
 * last-writer-wins comparison until real time caught up.
 */
public final class HybridLogicalClock {

    public static final Duration DEFAULT_MAX_SKEW = Duration.ofSeconds(60);

    private final LongSupplier wallMillis;
    private final long maxSkewMillis;
    private long lastPhysical;
    private int lastLogical;

    public HybridLogicalClock() {
        this(System::currentTimeMillis, DEFAULT_MAX_SKEW);
    }

    public HybridLogicalClock(LongSupplier wallMillis, Duration maxSkew) {
        this.wallMillis = Objects.requireNonNull(wallMillis, "wallMillis");
        if (maxSkew.isNegative()) {
            throw new IllegalArgumentException("maxSkew must not be negative");
        }
        this.maxSkewMillis = maxSkew.toMillis();
    }

    public Duration maxSkew() {
        return Duration.ofMillis(maxSkewMillis);
    }

    /** A timestamp for a local event (a write): greater than anything this clock returned or saw. */
    public synchronized Hlc now() {
        long wall = wallMillis.getAsLong();
        if (wall > lastPhysical) {
            lastPhysical = wall;
            lastLogical = 0;
        } else {
            bumpLogical();
        }
        return current();
    }

    /**
     * Merges a timestamp received from elsewhere (a replicated version) and returns a reading greater
     * than both it and everything before. Fails with {@code SF-EXTERNAL} when {@code remote} is more
     * than the skew bound ahead of the local wall clock; the clock is then left unchanged.
     */
    public synchronized Hlc update(Hlc remote) {
        long wall = wallMillis.getAsLong();
        if (remote.physicalMillis() - wall > maxSkewMillis) {
            throw new SkyforgeException(ErrorCode.EXTERNAL, "refusing timestamp " + remote + ": it is "
                    + (remote.physicalMillis() - wall) + " ms ahead of this node's clock, more than the allowed "
                    + maxSkewMillis + " ms (check NTP on the writing node, or raise sync.maxClockSkew)");
        }
        long physical = Math.max(wall, Math.max(lastPhysical, remote.physicalMillis()));
        int logical;
        if (physical == lastPhysical && physical == remote.physicalMillis()) {
            logical = Math.max(lastLogical, remote.logical()) + 1;
        } else if (physical == lastPhysical) {
            logical = lastLogical + 1;
        } else if (physical == remote.physicalMillis()) {
            logical = remote.logical() + 1;
        } else {
            logical = 0;
        }
        if (logical > Hlc.MAX_LOGICAL) {
            physical++;
            logical = 0;
        }
        lastPhysical = physical;
        lastLogical = logical;
        return current();
    }

    /** The latest reading without advancing the clock. */
    public synchronized Hlc peek() {
        return current();
    }

    private void bumpLogical() {
        if (lastLogical == Hlc.MAX_LOGICAL) {
            // Borrowing a millisecond keeps readings unique and ordered; the wall clock catches up.
            lastPhysical++;
            lastLogical = 0;
        } else {
            lastLogical++;
        }
    }

    private Hlc current() {
        return new Hlc(lastPhysical, lastLogical);
    }
}
