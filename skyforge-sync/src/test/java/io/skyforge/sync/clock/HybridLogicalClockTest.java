package io.skyforge.sync.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HybridLogicalClockTest {

    /** A wall clock a test moves by hand, forwards and backwards. */
    static final class ManualWall {
        final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

        long get() {
            return millis.get();
        }
    }

    @Test
    void shouldStayMonotonicWhenTheWallClockJumpsBackwards() {
        ManualWall wall = new ManualWall();
        HybridLogicalClock clock = new HybridLogicalClock(wall::get, Duration.ofSeconds(5));
        Random random = new Random(42);
        Hlc previous = Hlc.ZERO;
        for (int i = 0; i < 100_000; i++) {
            wall.millis.addAndGet(random.nextInt(21) - 10);
            Hlc next = clock.now();
            assertThat(next).isGreaterThan(previous);
            previous = next;
        }
    }

    @Test
    void shouldOrderEveryEventAfterWhatItCausallyFollowsAcrossNodes() {
        // Three nodes with skewed wall clocks exchanging messages at random: whenever an event follows
        // another (same node, or receipt of its timestamp), its timestamp is greater.
        for (long seed = 0; seed < 50; seed++) {
            Random random = new Random(seed);
            ManualWall[] walls = new ManualWall[3];
            HybridLogicalClock[] clocks = new HybridLogicalClock[3];
            for (int n = 0; n < 3; n++) {
                walls[n] = new ManualWall();
                walls[n].millis.addAndGet(random.nextInt(2_000) - 1_000);
                ManualWall w = walls[n];
                clocks[n] = new HybridLogicalClock(w::get, Duration.ofSeconds(5));
            }
            List<Hlc> lastOf = new ArrayList<>(List.of(Hlc.ZERO, Hlc.ZERO, Hlc.ZERO));
            for (int step = 0; step < 5_000; step++) {
                int n = random.nextInt(3);
                walls[n].millis.addAndGet(random.nextInt(3));
                Hlc event;
                Hlc cause = lastOf.get(n);
                if (random.nextBoolean()) {
                    int from = random.nextInt(3);
                    Hlc sent = lastOf.get(from);
                    event = clocks[n].update(sent);
                    assertThat(event).isGreaterThan(sent);
                } else {
                    event = clocks[n].now();
                }
                assertThat(event).isGreaterThan(cause);
                // The clock never runs far from the fastest wall clock: logical counters absorb the rest.
                long fastest = Math.max(walls[0].get(), Math.max(walls[1].get(), walls[2].get()));
                assertThat(event.physicalMillis()).isLessThanOrEqualTo(fastest);
                lastOf.set(n, event);
            }
        }
    }

    @Test
    void shouldRefuseARemoteTimestampBeyondTheSkewBoundAndStayUnchanged() {
        ManualWall wall = new ManualWall();
        HybridLogicalClock clock = new HybridLogicalClock(wall::get, Duration.ofSeconds(5));
        Hlc before = clock.now();
        Hlc tooFar = new Hlc(wall.get() + 5_001, 0);

        assertThatThrownBy(() -> clock.update(tooFar))
                .isInstanceOf(SkyforgeException.class)
                .satisfies(e -> assertThat(((SkyforgeException) e).code()).isEqualTo(ErrorCode.EXTERNAL))
                .hasMessageContaining("5001 ms ahead")
                .hasMessageContaining("5000 ms");
        assertThat(clock.peek()).isEqualTo(before);

        Hlc justInside = new Hlc(wall.get() + 5_000, 7);
        assertThat(clock.update(justInside)).isEqualTo(new Hlc(wall.get() + 5_000, 8));
    }

    @Test
    void shouldEncodeSoThatStringOrderIsTimeOrder() {
        Random random = new Random(7);
        List<Hlc> values = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            values.add(new Hlc(random.nextLong(Hlc.MAX_PHYSICAL + 1), random.nextInt(Hlc.MAX_LOGICAL + 1)));
        }
        values.add(Hlc.ZERO);
        values.add(new Hlc(Hlc.MAX_PHYSICAL, Hlc.MAX_LOGICAL));
        for (int i = 1; i < values.size(); i++) {
            Hlc a = values.get(i - 1);
            Hlc b = values.get(i);
            assertThat(Integer.signum(a.encode().compareTo(b.encode()))).isEqualTo(Integer.signum(a.compareTo(b)));
            assertThat(Hlc.decode(a.encode())).isEqualTo(a);
            assertThat(a.encode()).hasSize(Hlc.ENCODED_LENGTH);
        }
    }

    @Test
    void shouldRejectMalformedEncodings() {
        for (String bad : new String[] {"", "018c2f3a4b5c-000001", "018C2F3A4B5C.000001", "18c2f3a4b5c.000001", "018c2f3a4b5c.00000g"}) {
            assertThatThrownBy(() -> Hlc.decode(bad)).isInstanceOf(SkyforgeException.class).hasMessageContaining("hybrid logical clock");
        }
    }

    @Test
    void shouldBorrowAMillisecondWhenTheLogicalCounterIsExhausted() {
        ManualWall wall = new ManualWall();
        HybridLogicalClock clock = new HybridLogicalClock(wall::get, Duration.ofSeconds(5));
        Hlc start = clock.update(new Hlc(wall.get(), Hlc.MAX_LOGICAL - 1));
        assertThat(start).isEqualTo(new Hlc(wall.get(), Hlc.MAX_LOGICAL));
        assertThat(clock.now()).isEqualTo(new Hlc(wall.get() + 1, 0));
    }
}
