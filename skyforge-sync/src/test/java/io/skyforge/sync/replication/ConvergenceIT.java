package io.skyforge.sync.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ObjectInfo;
import io.skyforge.spi.storage.ObjectSummary;
import io.skyforge.spi.storage.Precondition;
import io.skyforge.spi.storage.PutOptions;
import io.skyforge.sync.change.ChangeEvent;
import io.skyforge.sync.change.InMemoryChangeSource;
import io.skyforge.sync.clock.HybridLogicalClock;
import io.skyforge.sync.conflict.ConflictRecord;
import io.skyforge.sync.version.Version;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The convergence check: concurrent writers on every copy, random delays, one copy cut off for
 * part of the run; afterwards every copy holds the same keys with the same content, each key's content
 * is the write last-writer-wins names, and every write that did not make it into the winner's history
 * is covered by a conflict record.
 *
 * <p>Scale: one run of 5,000 operations on 500 keys, and {@code skyforge.sync.convergence.seeds} (default 20)
 * seeds of {@code skyforge.sync.convergence.ops} (default 250) operations on {@code skyforge.sync.convergence.keys}
 * (default 40) keys each — fewer keys so the short runs are dense in conflicts; the seeds rotate through the
 * four triples of the four loopback stores. {@code -Dskyforge.sync.convergence.ops=5000
 * -Dskyforge.sync.convergence.keys=500} runs the full scale on every seed (too slow for every build).
 */
class ConvergenceIT {

    private static final int SEED_OPS = Integer.getInteger("skyforge.sync.convergence.ops", 250);
    private static final int SEED_KEYS = Integer.getInteger("skyforge.sync.convergence.keys", 40);
    private static final int WRITERS_PER_COPY = 2;
    private static Clouds clouds;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @BeforeAll
    static void startClouds() {
        clouds = Clouds.start();
    }

    @AfterAll
    static void stopClouds() {
        clouds.close();
    }

    static Stream<Long> seeds() {
        return IntStream.rangeClosed(1, Integer.getInteger("skyforge.sync.convergence.seeds", 20)).mapToObj(i -> (long) i);
    }

    @Test
    void shouldConvergeAfterFiveThousandConcurrentOperationsOnFiveHundredKeys() throws Exception {
        run(0, 5_000, 500);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldConvergeToTheLastWriterWinsResultForEverySeed(long seed) throws Exception {
        run(seed, SEED_OPS, SEED_KEYS);
    }

    private void run(long seed, int ops, int keys) throws Exception {
        String bucket = "conv-" + BUCKETS.incrementAndGet();
        clouds.freshBuckets(bucket);
        List<FaultyStore> stores = List.of(clouds.a, clouds.b, clouds.az, clouds.fs);
        int skip = (int) (seed % 4);
        List<String> names = List.of("CLOUD_A", "CLOUD_B", "CLOUD_AZ", "CLOUD_FS");
        List<SyncCopy> copies = new ArrayList<>();
        List<FaultyStore> used = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            if (i != skip) {
                copies.add(SyncCopy.of(names.get(i), stores.get(i), bucket));
                used.add(stores.get(i));
            }
        }
        boolean keepLosers = seed % 2 == 1;
        InMemoryChangeSource journal = new InMemoryChangeSource();
        LogicalBucketReplicator.Builder builder = LogicalBucketReplicator.builder(bucket)
                .config(SyncConfig.DEFAULTS.withKeepLosers(keepLosers).withScanInterval(Duration.ofSeconds(2))
                        .withRetryInterval(Duration.ofMillis(100)))
                .meterRegistry(new SimpleMeterRegistry())
                .changeSource(journal);
        copies.forEach(builder::copy);
        Random random = new Random(seed);
        FaultyStore flaky = used.get(random.nextInt(used.size()));
        ConcurrentLinkedQueue<WriteResult> written = new ConcurrentLinkedQueue<>();
        AtomicInteger opCounter = new AtomicInteger();
        try (LogicalBucketReplicator replicator = builder.build().start()) {
            ExecutorService pool = Executors.newFixedThreadPool(copies.size() * WRITERS_PER_COPY);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < copies.size() * WRITERS_PER_COPY; w++) {
                SyncCopy copy = copies.get(w % copies.size());
                long writerSeed = seed * 1_000 + w;
                // Each writing node has its own clock, up to half a second off.
                long offset = new Random(writerSeed).nextInt(1_001) - 500;
                HybridLogicalClock node = new HybridLogicalClock(() -> System.currentTimeMillis() + offset, Duration.ofSeconds(5));
                BucketWriter writer = replicator.writer(node);
                futures.add(pool.submit(() -> {
                    Random r = new Random(writerSeed);
                    int op;
                    while ((op = opCounter.getAndIncrement()) < ops) {
                        if (op == ops * 3 / 10) {
                            flaky.down = true;
                        } else if (op == ops * 6 / 10) {
                            flaky.down = false;
                        }
                        String key = "k/" + r.nextInt(keys);
                        try {
                            WriteResult result;
                            if (r.nextInt(100) < 20) {
                                result = writer.delete(copy.cloud(), key, Precondition.NONE);
                            } else {
                                byte[] data = new byte[r.nextInt(2_048)];
                                r.nextBytes(data);
                                result = writer.put(copy.cloud(), key, new ByteArrayInputStream(data), PutOptions.defaults());
                            }
                            written.add(result);
                            journal.append(new ChangeEvent(key, copy.cloud(), result.info().etag(), result.info().size(),
                                    result.version().sha256(), null));
                        } catch (SkyforgeException e) {
                            if (e.code() != ErrorCode.UNAVAILABLE) {
                                throw e;
                            }
                        }
                        Thread.sleep(r.nextInt(3));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            flaky.down = false;
            assertThat(replicator.awaitQuiescent(Duration.ofSeconds(120), Duration.ofMillis(500)))
                    .as("seed %d settles: %s", seed, replicator.status()).isTrue();
            replicator.scanNow();
            assertThat(replicator.awaitQuiescent(Duration.ofSeconds(60), Duration.ofMillis(300))).isTrue();
            verify(seed, bucket, used, keys, new ArrayList<>(written), replicator.conflicts(), keepLosers);
        }
    }

    private static void verify(long seed, String bucket, List<FaultyStore> stores, int keys, List<WriteResult> writes,
                               List<ConflictRecord> conflicts, boolean keepLosers) {
        List<Map<String, ObjectInfo>> contents = new ArrayList<>();
        for (FaultyStore s : stores) {
            Map<String, ObjectInfo> m = new TreeMap<>();
            for (ObjectSummary summary : s.listAll(bucket, "").toList()) {
                m.put(summary.key(), s.head(bucket, summary.key()).orElseThrow());
            }
            contents.add(m);
        }
        for (int i = 1; i < contents.size(); i++) {
            assertThat(contents.get(i).keySet()).as("seed %d: same keys on every copy", seed).isEqualTo(contents.get(0).keySet());
        }
        for (Map<String, ObjectInfo> m : contents) {
            for (ObjectInfo info : m.values()) {
                Version v = Version.fromMetadata(info.userMetadata(), info.sha256()).orElseThrow();
                assertThat(v.tombstone()).as("seed %d: no tombstone left once every copy acknowledged: %s", seed, info.key()).isFalse();
                assertThat(v.sha256()).as("seed %d: content hash of %s", seed, info.key()).isEqualTo(contents.get(0).get(info.key()).sha256());
                assertThat(info.sha256()).isEqualTo(contents.get(0).get(info.key()).sha256());
            }
        }
        Map<String, List<Version>> byKey = new HashMap<>();
        for (WriteResult w : writes) {
            byKey.computeIfAbsent(w.key(), k -> new ArrayList<>()).add(w.version());
        }
        int conflictsExpected = 0;
        for (int k = 0; k < keys; k++) {
            String key = "k/" + k;
            List<Version> versions = byKey.getOrDefault(key, List.of());
            Version expected = versions.stream().max(Version.ORDER).orElse(null);
            for (Map<String, ObjectInfo> m : contents) {
                ObjectInfo info = m.get(key);
                if (expected == null || expected.tombstone()) {
                    assertThat(info).as("seed %d: %s was deleted last (%s)", seed, key, expected).isNull();
                } else {
                    assertThat(info).as("seed %d: %s", seed, key).isNotNull();
                    Version held = Version.fromMetadata(info.userMetadata(), info.sha256()).orElseThrow();
                    assertThat(held.id()).as("seed %d: winner of %s", seed, key).isEqualTo(expected.id());
                    assertThat(info.sha256()).isEqualTo(expected.sha256());
                }
            }
            if (expected == null) {
                continue;
            }
            for (Version w : versions) {
                if (w.tombstone() || expected.descendsFrom(w)) {
                    continue;
                }
                conflictsExpected++;
                List<Version> sorted = versions.stream().sorted(Version.ORDER).toList();
                List<String> records = conflicts.stream().filter(c -> c.key().equals(key))
                        .map(c -> c.loser() + " lost to " + c.winner() + " on " + c.foundOn()).toList();
                assertThat(conflicts).as("seed %d: a conflict record covers the lost write %s of %s; writes %s; "
                                + "histories %s; records %s", seed, w, key, sorted,
                                sorted.stream().map(Version::history).toList(), records)
                        .anySatisfy(c -> {
                            assertThat(c.key()).isEqualTo(key);
                            assertThat(c.loser().descendsFrom(w)).isTrue();
                        });
            }
        }
        for (ConflictRecord c : conflicts) {
            assertThat(c.winner().beats(c.loser())).isTrue();
            if (keepLosers && !c.loser().tombstone()) {
                assertThat(c.keptAs()).isNotNull();
                assertThat(contents.get(0)).as("seed %d: kept loser %s", seed, c.keptAs()).containsKey(c.keptAs());
                assertThat(contents.get(0).get(c.keptAs()).sha256()).isEqualTo(c.loser().sha256());
            }
        }
        System.out.printf("convergence seed %d: %d writes, %d conflict records, %d lost writes covered%n",
                seed, writes.size(), conflicts.size(), conflictsExpected);
    }
}
