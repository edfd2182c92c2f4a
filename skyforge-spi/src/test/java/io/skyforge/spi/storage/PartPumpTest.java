package io.skyforge.spi.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PartPumpTest {

    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /** Keeps parts in memory and records what the pump asked for. */
    static class RecordingTarget implements PartPump.Target<Integer> {
        final Map<Integer, byte[]> parts = new ConcurrentHashMap<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        volatile int failOnPart = -1;
        byte[] stored;

        @Override
        public ObjectInfo putWhole(byte[] data, int length, String sha256) {
            calls.add("whole");
            stored = java.util.Arrays.copyOf(data, length);
            return new ObjectInfo("k", length, "e", null, null, Map.of(), sha256);
        }

        @Override
        public void begin() {
            calls.add("begin");
        }

        @Override
        public Integer uploadPart(int number, byte[] data, int length) throws Exception {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(5);
                if (number == failOnPart) {
                    throw new IOException("backend refused part " + number);
                }
                parts.put(number, java.util.Arrays.copyOf(data, length));
                return number;
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public ObjectInfo complete(List<Integer> order, long size, String sha256) {
            calls.add("complete");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int n : order) {
                out.writeBytes(parts.get(n));
            }
            stored = out.toByteArray();
            return new ObjectInfo("k", size, "e-" + order.size(), null, null, Map.of(), sha256);
        }

        @Override
        public void abort() {
            calls.add("abort");
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void shouldReportTheCallersSha256InsteadOfHashingAgain() {
        // Not the bytes' hash: proves the pump passed the caller's value through rather than computing one.
        String vouched = "ab".repeat(32);
        RecordingTarget whole = new RecordingTarget();
        assertThat(new PartPump(1024, 2, executor).upload(new ByteArrayInputStream(bytes(100)), 100, vouched, whole).sha256())
                .isEqualTo(vouched);
        RecordingTarget parts = new RecordingTarget();
        assertThat(new PartPump(1024, 2, executor).upload(new ByteArrayInputStream(bytes(5000)), 5000, vouched, parts).sha256())
                .isEqualTo(vouched);
        assertThat(parts.calls).contains("complete");
    }

    @Test
    void shouldSendSmallObjectInOneRequest() throws Exception {
        RecordingTarget t = new RecordingTarget();
        byte[] data = bytes(100);
        ObjectInfo info = new PartPump(1024, 2, executor).upload(new ByteArrayInputStream(data), -1, t);
        assertThat(t.calls).containsExactly("whole");
        assertThat(t.stored).isEqualTo(data);
        assertThat(info.sha256()).isEqualTo(sha(data));
    }

    @Test
    void shouldNotReserveAWholePartForASmallObjectOfUnknownLength() {
        AtomicInteger largestRead = new AtomicInteger();
        InputStream small = new ByteArrayInputStream(bytes(100)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                largestRead.accumulateAndGet(len, Math::max);
                return super.read(b, off, len);
            }
        };
        RecordingTarget t = new RecordingTarget();
        new PartPump(8 * 1024 * 1024, 2, executor).upload(small, PutOptions.UNKNOWN_LENGTH, t);
        assertThat(t.stored).hasSize(100);
        assertThat(largestRead.get()).isLessThanOrEqualTo(64 * 1024);
    }

    @Test
    void shouldSizeTheBufferOfASmallObjectOfKnownLengthFromThatLength() {
        AtomicInteger largestRead = new AtomicInteger();
        InputStream small = new ByteArrayInputStream(bytes(64 * 1024)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                largestRead.accumulateAndGet(b.length, Math::max);
                return super.read(b, off, len);
            }
        };
        RecordingTarget t = new RecordingTarget();
        new PartPump(8 * 1024 * 1024, 4, executor).upload(small, 64 * 1024, t);
        assertThat(t.calls).containsExactly("whole");
        assertThat(largestRead.get()).isEqualTo(64 * 1024 + 1);
    }

    @Test
    void shouldHoldNoMoreThanTheDeclaredLengthPlusOneByteForAMultipartObject() {
        java.util.Set<byte[]> buffers = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        InputStream body = new ByteArrayInputStream(bytes(2048)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                buffers.add(b);
                return super.read(b, off, len);
            }
        };
        RecordingTarget t = new RecordingTarget();
        new PartPump(1024, 4, executor).upload(body, 2048, t);
        assertThat(t.calls).containsExactly("begin", "complete");
        assertThat(t.stored).isEqualTo(bytes(2048));
        assertThat(buffers.stream().mapToInt(b -> b.length).sum()).isEqualTo(2048 + 1);
    }

    @Test
    void shouldGrowTheFirstBufferUntilAPartIsFull() throws Exception {
        RecordingTarget t = new RecordingTarget();
        byte[] data = bytes(300 * 1024 + 5);
        ObjectInfo info = new PartPump(256 * 1024, 2, executor).upload(new ByteArrayInputStream(data), PutOptions.UNKNOWN_LENGTH, t);
        assertThat(t.calls).containsExactly("begin", "complete");
        assertThat(t.parts).hasSize(2);
        assertThat(t.parts.get(1)).hasSize(256 * 1024);
        assertThat(t.stored).isEqualTo(data);
        assertThat(info.sha256()).isEqualTo(sha(data));
    }

    @Test
    void shouldSendObjectOfExactlyOnePartInOneRequestWhenStreamCanPeek() {
        RecordingTarget t = new RecordingTarget();
        new PartPump(1024, 2, executor).upload(new ByteArrayInputStream(bytes(1024)), 1024, t);
        assertThat(t.calls).containsExactly("whole");
    }

    @Test
    void shouldReassembleLargeObjectFromPartsInOrder() throws Exception {
        RecordingTarget t = new RecordingTarget();
        byte[] data = bytes(10 * 1024 + 17);
        ObjectInfo info = new PartPump(1024, 3, executor).upload(new ByteArrayInputStream(data), PutOptions.UNKNOWN_LENGTH, t);
        assertThat(t.calls).containsExactly("begin", "complete");
        assertThat(t.parts).hasSize(11);
        assertThat(t.stored).isEqualTo(data);
        assertThat(info.size()).isEqualTo(data.length);
        assertThat(info.sha256()).isEqualTo(sha(data));
        assertThat(t.maxInFlight.get()).isLessThanOrEqualTo(3);
    }

    @Test
    void shouldAbortWhenInputStreamThrowsMidway() {
        RecordingTarget t = new RecordingTarget();
        InputStream failing = new InputStream() {
            int served;

            @Override
            public int read() throws IOException {
                if (served++ >= 5000) {
                    throw new IOException("client went away");
                }
                return 1;
            }
        };
        assertThatThrownBy(() -> new PartPump(1024, 2, executor).upload(failing, -1, t))
                .isInstanceOfSatisfying(SkyforgeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO))
                .hasMessageContaining("client went away");
        assertThat(t.calls).containsExactly("begin", "abort");
        assertThat(t.inFlight.get()).isZero();
    }

    @Test
    void shouldAbortWhenAPartFails() {
        RecordingTarget t = new RecordingTarget();
        t.failOnPart = 2;
        assertThatThrownBy(() -> new PartPump(1024, 2, executor).upload(new ByteArrayInputStream(bytes(8192)), -1, t))
                .isInstanceOfSatisfying(SkyforgeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IO))
                .hasMessageContaining("backend refused part 2");
        assertThat(t.calls).containsExactly("begin", "abort");
    }

    @Test
    void shouldRefuseBodyShorterThanDeclaredLength() {
        RecordingTarget small = new RecordingTarget();
        assertThatThrownBy(() -> new PartPump(1024, 2, executor).upload(new ByteArrayInputStream(bytes(10)), 11, small))
                .hasMessageContaining("the body had 10 bytes but 11 were declared");
        assertThat(small.calls).isEmpty();
        RecordingTarget large = new RecordingTarget();
        assertThatThrownBy(() -> new PartPump(1024, 2, executor).upload(new ByteArrayInputStream(bytes(4000)), 5000, large))
                .hasMessageContaining("the body had 4000 bytes but 5000 were declared");
        assertThat(large.calls).containsExactly("begin", "abort");
    }

    @Test
    void shouldReuseWholePartBuffersFromOneUploadToTheNext() throws Exception {
        java.util.Set<byte[]> first = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.Set<byte[]> second = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.concurrent.atomic.AtomicReference<java.util.Set<byte[]>> seen = new java.util.concurrent.atomic.AtomicReference<>(first);
        RecordingTarget t = new RecordingTarget() {
            @Override
            public Integer uploadPart(int number, byte[] data, int length) throws Exception {
                seen.get().add(data);
                return super.uploadPart(number, data, length);
            }
        };
        PartPump pump = new PartPump(1024, 3, executor, new PartBuffers(1 << 20));
        pump.upload(new ByteArrayInputStream(bytes(6 * 1024)), 6 * 1024, t);
        seen.set(second);
        byte[] other = bytes(6 * 1024 + 1);
        other[0] = 42;
        ObjectInfo info = pump.upload(new ByteArrayInputStream(other), PutOptions.UNKNOWN_LENGTH, t);
        assertThat(t.stored).isEqualTo(other);
        assertThat(info.sha256()).isEqualTo(sha(other));
        // every whole part of the second upload went up in a buffer the first one had used
        assertThat(first).hasSize(3);
        assertThat(second).hasSize(3).allMatch(first::contains);
    }

    @Test
    void shouldGiveBuffersBackAfterAFailedUpload() {
        PartBuffers pool = new PartBuffers(1 << 20);
        RecordingTarget t = new RecordingTarget();
        t.failOnPart = 2;
        assertThatThrownBy(() -> new PartPump(1024, 2, executor, pool).upload(new ByteArrayInputStream(bytes(8192)), -1, t))
                .hasMessageContaining("backend refused part 2");
        assertThat(pool.idleBytes()).isEqualTo(2 * 1024);
    }

    @Test
    void shouldKeepNoMoreIdleBuffersThanTheLimit() {
        PartBuffers pool = new PartBuffers(2048);
        byte[] a = pool.take(1024);
        byte[] b = pool.take(1024);
        byte[] c = pool.take(1024);
        pool.give(a);
        pool.give(b);
        pool.give(c);
        assertThat(pool.idleBytes()).isEqualTo(2048);
        assertThat(pool.take(1024)).isSameAs(b);
        assertThat(pool.take(1024)).isSameAs(a);
        byte[] fresh = pool.take(1024);
        assertThat(fresh != a && fresh != b && fresh != c).as("a new buffer once the kept ones are gone").isTrue();
        assertThat(pool.idleBytes()).isZero();
    }
}
