package io.skyforge.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ByteRange;
import io.skyforge.spi.storage.ListPage;
import io.skyforge.spi.storage.ListRequest;
import io.skyforge.spi.storage.ObjectContent;
import io.skyforge.spi.storage.ObjectInfo;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreCapabilities;
import io.skyforge.spi.storage.ObjectSummary;
import io.skyforge.spi.storage.Precondition;
import io.skyforge.spi.storage.PresignedUrl;
import io.skyforge.spi.storage.PutOptions;
import io.skyforge.spi.storage.StoreHealth;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link ObjectStore} adapter must show, run against a real backend. An adapter's
 * test subclasses it, starts its server (or directory) and returns a store from {@link #openStore()}.
 *
 * <p>Subclasses should configure parts (or blocks) of at most 8 MiB so the 64 MiB test goes through
 * the multipart path, and no more than 4 in flight, so the memory check has headroom.
 *
 * <p>Each test works in its own freshly created bucket, so tests do not see each other's keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ObjectStoreCompatibilityKit {

    private static final long MIB = 1024 * 1024;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private ObjectStore store;
    /** The bucket of the current test, created before it runs. */
    protected String bucket;

    /** A store on the backend under test; called once, before the first test. */
    protected abstract ObjectStore openStore() throws Exception;

    protected final ObjectStore store() {
        return store;
    }

    @BeforeEach
    void freshBucket() throws Exception {
        if (store == null) {
            store = openStore();
        }
        bucket = newBucketName();
        assertThat(store.createBucket(bucket)).isTrue();
    }

    @AfterAll
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    protected static String newBucketName() {
        return "kit-" + BUCKETS.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    // ---------------------------------------------------------------- health, buckets, capabilities

    @Test
    void shouldReportHealthyProbeWithLatency() {
        StoreHealth health = store.probe();
        assertThat(health.up()).as(health.message()).isTrue();
        assertThat(health.error()).isNull();
        assertThat(health.latency()).isPositive().isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void shouldCreateBucketIdempotently() {
        assertThat(store.bucketExists(bucket)).isTrue();
        assertThat(store.createBucket(bucket)).isFalse();
        String other = newBucketName();
        assertThat(store.bucketExists(other)).isFalse();
    }

    @Test
    void shouldDeleteEmptyBucketAndRefuseNonEmptyOne() {
        String other = newBucketName();
        store.createBucket(other);
        put(other, "k", "v");
        assertThatThrownBy(() -> store.deleteBucket(other)).satisfies(code(ErrorCode.CONFLICT));
        store.delete(other, "k");
        store.deleteBucket(other);
        assertThat(store.bucketExists(other)).isFalse();
        store.deleteBucket(other);
    }

    @Test
    void shouldRefuseBucketNameBackendsReject() {
        assertThatThrownBy(() -> store.createBucket("Not_A_Bucket")).satisfies(code(ErrorCode.VALIDATION));
    }

    @Test
    void shouldDescribeCapabilitiesConsistently() {
        ObjectStoreCapabilities caps = store.capabilities();
        assertThat(caps.maxKeyBytes()).isEqualTo(1024);
        assertThat(caps.maxObjectBytes()).isGreaterThanOrEqualTo(5L * 1024 * MIB);
        assertThat(store.type()).isNotBlank();
    }

    // ---------------------------------------------------------------- put / get / head basics

    @Test
    void shouldRoundTripSmallObject() {
        ObjectInfo written = put(bucket, "hello.txt", "hello, world");
        assertThat(written.size()).isEqualTo(12);
        assertThat(written.etag()).isNotBlank();
        assertThat(read(bucket, "hello.txt")).isEqualTo("hello, world");
    }

    @Test
    void shouldStoreZeroByteObjectFromStreamOfUnknownLength() {
        ObjectInfo info = store.put(bucket, "empty", InputStream.nullInputStream(), PutOptions.DEFAULT);
        assertThat(info.size()).isZero();
        assertThat(info.sha256()).isEqualTo(GeneratedInputStream.sha256(new byte[0]));
        assertThat(store.head(bucket, "empty")).get().extracting(ObjectInfo::size).isEqualTo(0L);
        try (ObjectContent c = store.get(bucket, "empty")) {
            assertThat(c.readAllBytes()).isEmpty();
            assertThat(c.length()).isZero();
        }
    }

    @Test
    void shouldStreamA64MiBObjectUpAndDownWithoutHoldingItInMemory() throws Exception {
        long size = 64 * MIB;
        long seed = 64;
        String expected = GeneratedInputStream.expectedSha256(size, seed);
        long baseline = usedHeapAfterGc();
        AtomicLong retainedAt60MiB = new AtomicLong(Long.MIN_VALUE);
        InputStream generator = new GeneratedInputStream(size, seed, -1, served -> {
            if (served >= 60 * MIB && retainedAt60MiB.get() == Long.MIN_VALUE) {
                retainedAt60MiB.set(usedHeapAfterGc() - baseline);
            }
        });
        ObjectInfo info = store.put(bucket, "big/64mib.bin", generator, PutOptions.DEFAULT);
        assertThat(info.size()).isEqualTo(size);
        assertThat(info.sha256()).isEqualTo(expected);
        // Holding the object would retain >= 60 MiB at this point. Parts in flight (part size x
        // concurrency, 32 MiB for S3) plus what a concurrent GC has not yet reclaimed stay below 52 MiB.
        assertThat(retainedAt60MiB.get()).as("heap retained after reading 60 MiB of the body")
                .isNotEqualTo(Long.MIN_VALUE).isLessThan(52 * MIB);
        try (ObjectContent c = store.get(bucket, "big/64mib.bin")) {
            assertThat(c.length()).isEqualTo(size);
            assertThat(GeneratedInputStream.sha256(c.stream())).isEqualTo(expected);
        }
    }

    @Test
    void shouldStoreObjectOfDeclaredLength() {
        byte[] data = bytes(300_000, 7);
        ObjectInfo info = store.put(bucket, "declared", new ByteArrayInputStream(data),
                PutOptions.DEFAULT.withContentLength(data.length));
        assertThat(info.size()).isEqualTo(data.length);
        assertThat(readBytes(bucket, "declared")).isEqualTo(data);
    }

    @Test
    void shouldRefuseBodyShorterThanDeclaredLengthAndStoreNothing() {
        assertThatThrownBy(() -> store.put(bucket, "short", new ByteArrayInputStream(new byte[10]),
                PutOptions.DEFAULT.withContentLength(11))).isInstanceOf(SkyforgeException.class);
        assertThat(store.head(bucket, "short")).isEmpty();
    }

    @Test
    void shouldStoreBodyOfKnownLengthAndSha256AsGivenFromAStreamThatCannotRewind() {
        // Replication's write: the hash is known, so a store may send the stream straight through.
        long size = 3 * MIB + 17;
        String sha = GeneratedInputStream.expectedSha256(size, 31);
        ObjectInfo info = store.put(bucket, "known/sha", new GeneratedInputStream(size, 31),
                PutOptions.DEFAULT.withContentLength(size).withSha256(sha));
        assertThat(info.size()).isEqualTo(size);
        assertThat(info.sha256()).isEqualTo(sha);
        try (ObjectContent c = store.get(bucket, "known/sha")) {
            assertThat(GeneratedInputStream.sha256(c.stream())).isEqualTo(sha);
            if (store.capabilities().sha256OnHead()) {
                assertThat(c.info().sha256()).isEqualTo(sha);
            }
        }
    }

    @Test
    void shouldRefuseShortOrOverlongBodyWithKnownSha256AndKeepThePreviousVersion() {
        put(bucket, "kept", "version 1");
        long size = 2 * MIB;
        String sha = GeneratedInputStream.expectedSha256(size, 5);
        assertThatThrownBy(() -> store.put(bucket, "kept", new GeneratedInputStream(size - 1, 5),
                PutOptions.DEFAULT.withContentLength(size).withSha256(sha))).isInstanceOf(SkyforgeException.class);
        assertThatThrownBy(() -> store.put(bucket, "kept", new GeneratedInputStream(size + 1, 5),
                PutOptions.DEFAULT.withContentLength(size).withSha256(sha))).isInstanceOf(SkyforgeException.class);
        assertThat(new String(readBytes(bucket, "kept"), StandardCharsets.UTF_8)).isEqualTo("version 1");
    }

    @Test
    void shouldHaveTheBackendCheckContentMd5OrRefuseToPromiseIt() throws Exception {
        byte[] data = bytes(200_000, 11);
        String md5 = md5(data);
        PutOptions right = PutOptions.DEFAULT.withContentLength(data.length).withContentMd5(md5);
        if (!store.capabilities().contentMd5Check()) {
            assertThatThrownBy(() -> store.put(bucket, "md5", new ByteArrayInputStream(data), right))
                    .satisfies(code(ErrorCode.UNSUPPORTED));
            assertThat(store.head(bucket, "md5")).isEmpty();
            return;
        }
        store.put(bucket, "md5", new ByteArrayInputStream(data), right);
        assertThat(readBytes(bucket, "md5")).isEqualTo(data);
        byte[] other = bytes(200_000, 12);
        // With and without a known SHA-256 (replication sends both), in one request and in parts.
        for (PutOptions wrong : List.of(right, right.withSha256(GeneratedInputStream.sha256(data)))) {
            assertThatThrownBy(() -> store.put(bucket, "md5", new ByteArrayInputStream(other), wrong))
                    .isInstanceOf(SkyforgeException.class);
        }
        long big = 20 * MIB;
        String bigMd5 = md5(new GeneratedInputStream(big, 3).readAllBytes());
        assertThatThrownBy(() -> store.put(bucket, "md5", new GeneratedInputStream(big, 4),
                PutOptions.DEFAULT.withContentLength(big).withContentMd5(bigMd5))).isInstanceOf(SkyforgeException.class);
        assertThatThrownBy(() -> store.put(bucket, "md5", new GeneratedInputStream(big, 4),
                PutOptions.DEFAULT.withContentMd5(bigMd5))).isInstanceOf(SkyforgeException.class);
        assertThat(readBytes(bucket, "md5")).as("a refused write leaves the previous version").isEqualTo(data);
        store.put(bucket, "md5-big", new GeneratedInputStream(big, 3), PutOptions.DEFAULT.withContentLength(big).withContentMd5(bigMd5));
        assertThat(store.head(bucket, "md5-big")).get().extracting(ObjectInfo::size).isEqualTo(big);
    }

    @Test
    void shouldReportOnlyTheTrueMd5OfAnObject() throws Exception {
        byte[] data = bytes(100_000, 13);
        store.put(bucket, "md5-report", new ByteArrayInputStream(data), PutOptions.DEFAULT);
        String fromHead = store.head(bucket, "md5-report").orElseThrow().contentMd5();
        try (ObjectContent c = store.get(bucket, "md5-report")) {
            assertThat(c.info().contentMd5()).isEqualTo(fromHead);
        }
        if (fromHead != null) {
            assertThat(fromHead).isEqualTo(md5(data));
        }
    }

    private static String md5(byte[] data) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(data));
    }

    @Test
    void shouldLeaveNoObjectWhenSmallBodyFailsMidway() {
        InputStream failing = new GeneratedInputStream(MIB, 1, 100_000, p -> { });
        assertThatThrownBy(() -> store.put(bucket, "broken", failing, PutOptions.DEFAULT))
                .isInstanceOf(SkyforgeException.class);
        assertThat(store.head(bucket, "broken")).isEmpty();
        assertThat(keys(bucket, "")).doesNotContain("broken");
    }

    @Test
    void shouldKeepPreviousVersionWhenLargeOverwriteFailsMidway() {
        put(bucket, "precious", "version 1");
        InputStream failing = new GeneratedInputStream(40 * MIB, 2, 20 * MIB, p -> { });
        assertThatThrownBy(() -> store.put(bucket, "precious", failing, PutOptions.DEFAULT))
                .isInstanceOf(SkyforgeException.class);
        assertThat(read(bucket, "precious")).isEqualTo("version 1");
    }

    @Test
    void shouldOverwriteObjectWithNewContentAndEtag() {
        ObjectInfo first = put(bucket, "doc", "first version");
        ObjectInfo second = put(bucket, "doc", "second, longer version");
        assertThat(second.etag()).isNotEqualTo(first.etag());
        assertThat(read(bucket, "doc")).isEqualTo("second, longer version");
        assertThat(store.head(bucket, "doc")).get().extracting(ObjectInfo::size).isEqualTo(22L);
    }

    @Test
    void shouldDescribeObjectOnHead() {
        Instant before = Instant.now().minusSeconds(120);
        ObjectInfo written = store.put(bucket, "described.json", bytesIn("{\"a\":1}"),
                PutOptions.DEFAULT.withContentType("application/json"));
        ObjectInfo head = store.head(bucket, "described.json").orElseThrow();
        assertThat(head.key()).isEqualTo("described.json");
        assertThat(head.size()).isEqualTo(7);
        assertThat(head.etag()).isEqualTo(written.etag());
        assertThat(head.contentType()).isEqualTo("application/json");
        assertThat(head.lastModified()).isAfter(before).isBefore(Instant.now().plusSeconds(120));
    }

    @Test
    void shouldReturnEmptyHeadForMissingKey() {
        assertThat(store.head(bucket, "nothing/here")).isEmpty();
    }

    @Test
    void shouldFailWithNotFoundWhenReadingMissingKey() {
        assertThatThrownBy(() -> store.get(bucket, "nothing/here")).satisfies(code(ErrorCode.NOT_FOUND));
    }

    @Test
    void shouldFailWithBucketNotFoundForEveryOperationOnMissingBucket() {
        String missing = newBucketName();
        assertThatThrownBy(() -> put(missing, "k", "v")).satisfies(code(ErrorCode.BUCKET_NOT_FOUND));
        assertThatThrownBy(() -> store.get(missing, "k")).satisfies(code(ErrorCode.BUCKET_NOT_FOUND));
        assertThatThrownBy(() -> store.head(missing, "k")).satisfies(code(ErrorCode.BUCKET_NOT_FOUND));
        assertThatThrownBy(() -> store.list(missing, ListRequest.prefix(""))).satisfies(code(ErrorCode.BUCKET_NOT_FOUND));
        assertThatThrownBy(() -> store.delete(missing, "k")).satisfies(code(ErrorCode.BUCKET_NOT_FOUND));
    }

    @Test
    void shouldReturnSha256OfWrittenBytes() {
        byte[] data = bytes(123_457, 3);
        ObjectInfo info = store.put(bucket, "digest", new ByteArrayInputStream(data), PutOptions.DEFAULT);
        assertThat(info.sha256()).isEqualTo(GeneratedInputStream.sha256(data));
        ObjectInfo head = store.head(bucket, "digest").orElseThrow();
        if (store.capabilities().sha256OnHead()) {
            assertThat(head.sha256()).isEqualTo(info.sha256());
        } else if (head.sha256() != null) {
            assertThat(head.sha256()).as("a sha256 reported on head must be right").isEqualTo(info.sha256());
        }
    }

    // ---------------------------------------------------------------- keys

    @Test
    void shouldRoundTripUnicodeKeys() {
        List<String> keys = List.of("数据/用户表.csv", "данные/файл.txt", "emoji/\uD83D\uDE80-launch.json", "ü/é/ß");
        for (String k : keys) {
            put(bucket, k, "content of " + k);
        }
        for (String k : keys) {
            assertThat(read(bucket, k)).isEqualTo("content of " + k);
        }
        assertThat(keys(bucket, "")).containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void shouldRoundTripKeysWithSpacesPlusPercentAndHash() {
        List<String> keys = List.of("with space.txt", "a+b=c", "100% done", "tag#1", "q?x=1&y=2", "%2e%2e/dots",
                "semi;colon", "quote'and\"double", "tilde~star*", "a b/c+d/e%20f");
        for (String k : keys) {
            put(bucket, k, k.toUpperCase(Locale.ROOT));
        }
        for (String k : keys) {
            assertThat(read(bucket, k)).as(k).isEqualTo(k.toUpperCase(Locale.ROOT));
            assertThat(store.head(bucket, k)).as(k).get().extracting(ObjectInfo::key).isEqualTo(k);
        }
        assertThat(keys(bucket, "")).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(store.head(bucket, "a b/c d/e f")).isEmpty();
        assertThat(store.head(bucket, "a b/c+d/e f")).isEmpty();
    }

    @Test
    void shouldAcceptKeyOfExactly1024Bytes() {
        String key = longKey(1024);
        put(bucket, key, "long");
        assertThat(read(bucket, key)).isEqualTo("long");
        assertThat(keys(bucket, "")).containsExactly(key);
    }

    @Test
    void shouldRefuseKeyOver1024BytesWithInvalidKey() {
        String key = longKey(1025);
        assertThatThrownBy(() -> put(bucket, key, "too long")).satisfies(code(ErrorCode.INVALID_KEY));
        String multiByte = "键".repeat(342);
        assertThatThrownBy(() -> put(bucket, multiByte, "1026 bytes in UTF-8")).satisfies(code(ErrorCode.INVALID_KEY));
    }

    @Test
    void shouldRefuseTraversalAndMalformedKeysBeforeAnyIo() {
        for (String k : List.of("../escape", "a/../../escape", "/absolute", "nul\u0000byte", "dir/", "a//b", "./x", "back\\slash")) {
            assertThatThrownBy(() -> put(bucket, k, "x")).as(k).satisfies(code(ErrorCode.INVALID_KEY));
            assertThatThrownBy(() -> store.get(bucket, k)).as(k).satisfies(code(ErrorCode.INVALID_KEY));
        }
        assertThat(keys(bucket, "")).isEmpty();
    }

    // ---------------------------------------------------------------- listing

    @Test
    void shouldList1001KeysAcrossPages() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            keys.add(String.format("many/key-%04d", i));
        }
        parallel(keys, k -> put(bucket, k, k));
        ListPage first = store.list(bucket, ListRequest.prefix("many/"));
        assertThat(first.objects()).hasSize(1000);
        assertThat(first.hasMore()).isTrue();
        ListPage second = store.list(bucket, ListRequest.prefix("many/").withToken(first.nextToken()));
        assertThat(second.objects()).extracting(ObjectSummary::key).containsExactly("many/key-1000");
        assertThat(second.hasMore()).isFalse();
        assertThat(store.listAll(bucket, "many/").map(ObjectSummary::key).collect(Collectors.toList()))
                .containsExactlyElementsOf(keys);
    }

    @Test
    void shouldPaginateWithSmallPagesWithoutGapsOrRepeats() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            keys.add("page/" + (char) ('a' + i));
        }
        keys.forEach(k -> put(bucket, k, "x"));
        List<String> seen = new ArrayList<>();
        ListRequest req = ListRequest.prefix("page/").withMaxKeys(5);
        int pages = 0;
        while (true) {
            ListPage page = store.list(bucket, req);
            pages++;
            assertThat(page.objects().size()).isLessThanOrEqualTo(5);
            page.objects().forEach(o -> seen.add(o.key()));
            if (!page.hasMore()) {
                break;
            }
            req = req.withToken(page.nextToken());
        }
        assertThat(seen).containsExactlyElementsOf(keys);
        assertThat(pages).isBetween(5, 6);
    }

    @Test
    void shouldPaginateInPagesOfTwoAmongOtherPrefixes() {
        put(bucket, "a-before", "x");
        for (int i = 0; i < 5; i++) {
            put(bucket, "page/k" + i, Integer.toString(i));
        }
        put(bucket, "z-after", "x");
        List<String> seen = new ArrayList<>();
        ListRequest req = ListRequest.prefix("page/").withMaxKeys(2);
        int pages = 0;
        while (true) {
            ListPage page = store.list(bucket, req);
            pages++;
            page.objects().forEach(o -> seen.add(o.key()));
            if (!page.hasMore()) {
                break;
            }
            req = req.withToken(page.nextToken());
        }
        assertThat(seen).containsExactly("page/k0", "page/k1", "page/k2", "page/k3", "page/k4");
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void shouldListOnlyKeysUnderPrefixInByteOrderWithSizes() {
        put(bucket, "logs/2024/b.log", "bb");
        put(bucket, "logs/2024/a.log", "a");
        put(bucket, "logs/2025/c.log", "ccc");
        put(bucket, "logsX", "outside");
        put(bucket, "other/d.log", "dddd");
        ListPage page = store.list(bucket, ListRequest.prefix("logs/"));
        assertThat(page.objects()).extracting(ObjectSummary::key)
                .containsExactly("logs/2024/a.log", "logs/2024/b.log", "logs/2025/c.log");
        assertThat(page.objects()).extracting(ObjectSummary::size).containsExactly(1L, 2L, 3L);
        assertThat(page.objects()).allSatisfy(o -> assertThat(o.etag()).isNotBlank());
        assertThat(keys(bucket, "logs/2024/a")).containsExactly("logs/2024/a.log");
        assertThat(keys(bucket, "nope/")).isEmpty();
    }

    @Test
    void shouldRollUpCommonPrefixesWithDelimiter() {
        put(bucket, "root.txt", "r");
        put(bucket, "dir1/a", "a");
        put(bucket, "dir1/sub/b", "b");
        put(bucket, "dir2/c", "c");
        ListPage top = store.list(bucket, ListRequest.prefix("").withDelimiter("/"));
        assertThat(top.objects()).extracting(ObjectSummary::key).containsExactly("root.txt");
        assertThat(top.commonPrefixes()).containsExactly("dir1/", "dir2/");
        ListPage dir1 = store.list(bucket, ListRequest.prefix("dir1/").withDelimiter("/"));
        assertThat(dir1.objects()).extracting(ObjectSummary::key).containsExactly("dir1/a");
        assertThat(dir1.commonPrefixes()).containsExactly("dir1/sub/");
    }

    @Test
    void shouldListEmptyBucketAsOneEmptyPage() {
        ListPage page = store.list(bucket, ListRequest.prefix(""));
        assertThat(page.objects()).isEmpty();
        assertThat(page.commonPrefixes()).isEmpty();
        assertThat(page.hasMore()).isFalse();
    }

    // ---------------------------------------------------------------- ranges

    @Test
    void shouldReadByteRange() {
        byte[] data = bytes(10_000, 5);
        store.put(bucket, "ranged", new ByteArrayInputStream(data), PutOptions.DEFAULT);
        try (ObjectContent c = store.get(bucket, "ranged", ByteRange.of(1000, 500))) {
            assertThat(c.offset()).isEqualTo(1000);
            assertThat(c.length()).isEqualTo(500);
            assertThat(c.partial()).isTrue();
            assertThat(c.info().size()).isEqualTo(10_000);
            assertThat(c.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 1000, 1500));
        }
    }

    @Test
    void shouldReadOpenEndedAndClippedRanges() {
        byte[] data = bytes(4096, 6);
        store.put(bucket, "tail", new ByteArrayInputStream(data), PutOptions.DEFAULT);
        try (ObjectContent c = store.get(bucket, "tail", ByteRange.from(4000))) {
            assertThat(c.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 4000, 4096));
        }
        try (ObjectContent c = store.get(bucket, "tail", ByteRange.of(4090, 100))) {
            assertThat(c.length()).isEqualTo(6);
            assertThat(c.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 4090, 4096));
        }
        try (ObjectContent c = store.get(bucket, "tail", ByteRange.of(0, 1))) {
            assertThat(c.readAllBytes()).containsExactly(data[0]);
        }
    }

    @Test
    void shouldRefuseRangeStartingPastEnd() {
        put(bucket, "small", "0123456789");
        assertThatThrownBy(() -> store.get(bucket, "small", ByteRange.from(10))).satisfies(code(ErrorCode.VALIDATION));
    }

    // ---------------------------------------------------------------- metadata

    @Test
    void shouldRoundTripUserMetadataAndContentType() {
        Map<String, String> meta = Map.of("sf_hlc", "0000018c-0001", "origin", "cloud_a", "note", "spaces are fine, = too");
        store.put(bucket, "meta.csv", bytesIn("a,b\n"), PutOptions.DEFAULT.withContentType("text/csv").withUserMetadata(meta));
        ObjectInfo head = store.head(bucket, "meta.csv").orElseThrow();
        assertThat(head.userMetadata()).isEqualTo(meta);
        assertThat(head.contentType()).isEqualTo("text/csv");
        try (ObjectContent c = store.get(bucket, "meta.csv")) {
            assertThat(c.info().userMetadata()).isEqualTo(meta);
            assertThat(c.info().contentType()).isEqualTo("text/csv");
        }
    }

    @Test
    void shouldReplaceMetadataOnOverwrite() {
        store.put(bucket, "m", bytesIn("1"), PutOptions.DEFAULT.withUserMetadata(Map.of("old", "yes")));
        store.put(bucket, "m", bytesIn("2"), PutOptions.DEFAULT.withUserMetadata(Map.of("new", "yes")));
        assertThat(store.head(bucket, "m").orElseThrow().userMetadata()).isEqualTo(Map.of("new", "yes"));
        assertThat(store.head(bucket, "m").orElseThrow().contentType()).isEqualTo(ObjectInfo.DEFAULT_CONTENT_TYPE);
    }

    @Test
    void shouldRefuseMetadataThatDoesNotSurviveEveryBackend() {
        assertThatThrownBy(() -> store.put(bucket, "m", bytesIn("1"),
                PutOptions.DEFAULT.withUserMetadata(Map.of("Bad-Name", "x")))).satisfies(code(ErrorCode.VALIDATION));
        assertThat(store.head(bucket, "m")).isEmpty();
    }

    // ---------------------------------------------------------------- delete

    @Test
    void shouldDeleteObject() {
        put(bucket, "gone", "soon");
        store.delete(bucket, "gone");
        assertThat(store.head(bucket, "gone")).isEmpty();
        assertThat(keys(bucket, "")).isEmpty();
    }

    @Test
    void shouldDeleteMissingKeyWithoutError() {
        store.delete(bucket, "never/existed");
        put(bucket, "twice", "x");
        store.delete(bucket, "twice");
        store.delete(bucket, "twice");
        assertThat(store.head(bucket, "twice")).isEmpty();
    }

    @Test
    void shouldKeepSiblingsWhenDeletingNestedKey() {
        put(bucket, "a/b/c", "1");
        put(bucket, "a/b/d", "2");
        store.delete(bucket, "a/b/c");
        assertThat(keys(bucket, "")).containsExactly("a/b/d");
        store.delete(bucket, "a/b/d");
        assertThat(keys(bucket, "")).isEmpty();
        put(bucket, "a", "file where a directory was");
        assertThat(read(bucket, "a")).isEqualTo("file where a directory was");
    }

    // ---------------------------------------------------------------- copy

    @Test
    void shouldCopyObjectWithContentTypeAndMetadata() {
        store.put(bucket, "src", bytesIn("payload"),
                PutOptions.DEFAULT.withContentType("text/plain").withUserMetadata(Map.of("k", "v")));
        ObjectInfo copied = store.copy(bucket, "src", bucket, "dst/copy");
        assertThat(copied.key()).isEqualTo("dst/copy");
        assertThat(copied.size()).isEqualTo(7);
        assertThat(read(bucket, "dst/copy")).isEqualTo("payload");
        ObjectInfo head = store.head(bucket, "dst/copy").orElseThrow();
        assertThat(head.userMetadata()).isEqualTo(Map.of("k", "v"));
        assertThat(head.contentType()).isEqualTo("text/plain");
        assertThat(read(bucket, "src")).isEqualTo("payload");
    }

    @Test
    void shouldCopyBetweenBuckets() {
        String other = newBucketName();
        store.createBucket(other);
        put(bucket, "x", "across");
        store.copy(bucket, "x", other, "y");
        assertThat(read(other, "y")).isEqualTo("across");
    }

    @Test
    void shouldFailCopyOfMissingSourceWithNotFound() {
        assertThatThrownBy(() -> store.copy(bucket, "missing", bucket, "dst")).satisfies(code(ErrorCode.NOT_FOUND));
        assertThat(store.head(bucket, "dst")).isEmpty();
    }

    // ---------------------------------------------------------------- conditional writes

    @Test
    void shouldCreateOnlyWhenAbsentOrRefuseAsUnsupported() {
        PutOptions ifAbsent = PutOptions.DEFAULT.withPrecondition(Precondition.IF_ABSENT);
        if (!store.capabilities().conditionalCreate()) {
            assertThatThrownBy(() -> store.put(bucket, "once", bytesIn("1"), ifAbsent)).satisfies(code(ErrorCode.UNSUPPORTED));
            assertThat(store.head(bucket, "once")).isEmpty();
            return;
        }
        store.put(bucket, "once", bytesIn("first"), ifAbsent);
        assertThatThrownBy(() -> store.put(bucket, "once", bytesIn("second"), ifAbsent))
                .satisfies(code(ErrorCode.PRECONDITION_FAILED));
        assertThat(read(bucket, "once")).isEqualTo("first");
    }

    @Test
    void shouldLetExactlyOneOfTwoRacingIfAbsentWritersWin() throws Exception {
        PutOptions ifAbsent = PutOptions.DEFAULT.withPrecondition(Precondition.IF_ABSENT);
        if (!store.capabilities().conditionalCreate()) {
            assertThatThrownBy(() -> store.put(bucket, "race", bytesIn("1"), ifAbsent)).satisfies(code(ErrorCode.UNSUPPORTED));
            return;
        }
        for (int round = 0; round < 10; round++) {
            String key = "race/" + round;
            List<String> winners = race(key, w -> store.put(bucket, key, bytesIn("writer-" + w), ifAbsent));
            assertThat(winners).as("round " + round).hasSize(1);
            assertThat(read(bucket, key)).isEqualTo(winners.get(0));
        }
    }

    @Test
    void shouldReplaceOnlyWhenEtagMatchesOrRefuseAsUnsupported() {
        ObjectInfo v1 = put(bucket, "cas", "v1");
        if (!store.capabilities().conditionalReplace()) {
            assertThatThrownBy(() -> store.put(bucket, "cas", bytesIn("v2"),
                    PutOptions.DEFAULT.withPrecondition(Precondition.ifMatch(v1.etag())))).satisfies(code(ErrorCode.UNSUPPORTED));
            assertThat(read(bucket, "cas")).isEqualTo("v1");
            return;
        }
        ObjectInfo v2 = store.put(bucket, "cas", bytesIn("v2"), PutOptions.DEFAULT.withPrecondition(Precondition.ifMatch(v1.etag())));
        assertThatThrownBy(() -> store.put(bucket, "cas", bytesIn("v3"),
                PutOptions.DEFAULT.withPrecondition(Precondition.ifMatch(v1.etag())))).satisfies(code(ErrorCode.PRECONDITION_FAILED));
        assertThat(read(bucket, "cas")).isEqualTo("v2");
        assertThatThrownBy(() -> store.put(bucket, "absent", bytesIn("x"),
                PutOptions.DEFAULT.withPrecondition(Precondition.ifMatch(v2.etag())))).satisfies(code(ErrorCode.PRECONDITION_FAILED));
        assertThat(store.head(bucket, "absent")).isEmpty();
    }

    @Test
    void shouldLetExactlyOneOfTwoRacingIfMatchWritersWin() throws Exception {
        if (!store.capabilities().conditionalReplace()) {
            ObjectInfo v = put(bucket, "race", "v");
            assertThatThrownBy(() -> store.put(bucket, "race", bytesIn("w"),
                    PutOptions.DEFAULT.withPrecondition(Precondition.ifMatch(v.etag())))).satisfies(code(ErrorCode.UNSUPPORTED));
            return;
        }
        for (int round = 0; round < 10; round++) {
            String key = "cas-race/" + round;
            ObjectInfo base = put(bucket, key, "base");
            PutOptions ifMatch = PutOptions.DEFAULT.withPrecondition(Precondition.ifMatch(base.etag()));
            List<String> winners = race(key, w -> store.put(bucket, key, bytesIn("writer-" + w), ifMatch));
            assertThat(winners).as("round " + round).hasSize(1);
            assertThat(read(bucket, key)).isEqualTo(winners.get(0));
        }
    }

    // ---------------------------------------------------------------- presigned URLs

    @Test
    void shouldServePresignedUrlsOrRefuseAsUnsupported() throws Exception {
        put(bucket, "shared/file name+1.txt", "shared content");
        if (!store.capabilities().presignedUrls()) {
            assertThatThrownBy(() -> store.presign(bucket, "shared/file name+1.txt", PresignedUrl.Method.GET, Duration.ofMinutes(5)))
                    .satisfies(code(ErrorCode.UNSUPPORTED));
            return;
        }
        HttpClient http = HttpClient.newHttpClient();
        PresignedUrl get = store.presign(bucket, "shared/file name+1.txt", PresignedUrl.Method.GET, Duration.ofMinutes(5));
        assertThat(get.expiresAt()).isAfter(Instant.now());
        HttpResponse<String> got = http.send(HttpRequest.newBuilder(get.url()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo("shared content");

        PresignedUrl put = store.presign(bucket, "uploaded/via url.txt", PresignedUrl.Method.PUT, Duration.ofMinutes(5));
        HttpRequest.Builder upload = HttpRequest.newBuilder(put.url()).PUT(HttpRequest.BodyPublishers.ofString("from a url"));
        put.headers().forEach(upload::header);
        HttpResponse<String> sent = http.send(upload.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).as(sent.body()).isBetween(200, 299);
        assertThat(read(bucket, "uploaded/via url.txt")).isEqualTo("from a url");
    }

    // ---------------------------------------------------------------- helpers

    protected ObjectInfo put(String b, String key, String content) {
        return store.put(b, key, bytesIn(content), PutOptions.DEFAULT);
    }

    protected String read(String b, String key) {
        return new String(readBytes(b, key), StandardCharsets.UTF_8);
    }

    protected byte[] readBytes(String b, String key) {
        try (ObjectContent c = store.get(b, key)) {
            return c.readAllBytes();
        }
    }

    protected List<String> keys(String b, String prefix) {
        return store.listAll(b, prefix).map(ObjectSummary::key).collect(Collectors.toList());
    }

    protected static InputStream bytesIn(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    protected static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A key of exactly {@code bytes} UTF-8 bytes made of segments short enough for any filesystem. */
    protected static String longKey(int bytes) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < bytes) {
            int left = bytes - sb.length();
            if (left <= 200) {
                sb.append("k".repeat(left));
            } else {
                sb.append("s".repeat(199)).append('/');
            }
        }
        return sb.toString();
    }

    private static java.util.function.Consumer<Throwable> code(ErrorCode expected) {
        return t -> {
            assertThat(t).isInstanceOf(SkyforgeException.class);
            assertThat(((SkyforgeException) t).code()).as(t.getMessage()).isEqualTo(expected);
        };
    }

    /** Two writers released together; returns the content written by each one that succeeded. */
    private List<String> race(String key, WriterAction action) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Optional<String>>> results = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                Callable<Optional<String>> task = () -> {
                    start.await(10, TimeUnit.SECONDS);
                    try {
                        action.write(writer);
                        return Optional.of("writer-" + writer);
                    } catch (SkyforgeException e) {
                        assertThat(e.code()).as(key + ": " + e.getMessage()).isEqualTo(ErrorCode.PRECONDITION_FAILED);
                        return Optional.empty();
                    }
                };
                results.add(pool.submit(task));
            }
            List<String> winners = new ArrayList<>();
            for (Future<Optional<String>> f : results) {
                f.get(60, TimeUnit.SECONDS).ifPresent(winners::add);
            }
            return winners;
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface WriterAction {
        void write(int writer) throws Exception;
    }

    private static void parallel(List<String> keys, java.util.function.Consumer<String> action) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (String k : keys) {
                fs.add(pool.submit(() -> action.accept(k)));
            }
            for (Future<?> f : fs) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
