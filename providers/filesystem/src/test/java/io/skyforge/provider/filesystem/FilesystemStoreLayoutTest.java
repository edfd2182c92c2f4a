package io.skyforge.provider.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import io.skyforge.spi.storage.ListRequest;
import io.skyforge.spi.storage.ObjectInfo;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.spi.storage.ObjectStores;
import io.skyforge.spi.storage.ObjectSummary;
import io.skyforge.spi.storage.Precondition;
import io.skyforge.spi.storage.PutOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the filesystem store has to get right: the directory layout and staying inside the root. */
class FilesystemStoreLayoutTest {

    @TempDir
    Path tmp;
    Path root;
    ObjectStore store;

    @BeforeEach
    void open() {
        root = tmp.resolve("root");
        store = ObjectStores.open(ObjectStoreConfig.builder("filesystem").root(root.toString()).build());
        store.createBucket("data");
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void put(String key, String content) {
        store.put("data", key, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), PutOptions.DEFAULT);
    }

    private static java.util.function.Consumer<Throwable> code(ErrorCode expected) {
        return t -> assertThat(((SkyforgeException) t).code()).as(t.getMessage()).isEqualTo(expected);
    }

    @Test
    void shouldKeepObjectsAsPlainBrowsableFiles() throws Exception {
        put("tables/users.csv", "id,name\n1,ann\n");
        assertThat(Files.readString(root.resolve("data/tables/users.csv"))).isEqualTo("id,name\n1,ann\n");
    }

    @Test
    void shouldNotEscapeRootThroughSymbolicLink() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "do not read");
        Files.createSymbolicLink(root.resolve("data/link"), outside);
        assertThatThrownBy(() -> store.get("data", "link/secret.txt")).satisfies(code(ErrorCode.INVALID_KEY));
        assertThatThrownBy(() -> put("link/planted.txt", "x")).satisfies(code(ErrorCode.INVALID_KEY));
        assertThat(outside.resolve("planted.txt")).doesNotExist();
    }

    @Test
    void shouldStorePercentEncodedDotsLiterallyInsideTheBucket() {
        put("%2e%2e/%2e%2e/x", "contained");
        assertThat(root.resolve("data/%2e%2e/%2e%2e/x")).exists();
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void shouldRefuseTraversalInListingPrefix() {
        assertThat(store.list("data", ListRequest.prefix("../")).objects()).isEmpty();
        assertThat(store.list("data", ListRequest.prefix("a/../../")).objects()).isEmpty();
    }

    @Test
    void shouldRefuseKeyThatIsAlsoAPrefixOfAnotherKey() {
        put("a", "object");
        assertThatThrownBy(() -> put("a/b", "nested")).satisfies(code(ErrorCode.CONFLICT));
        put("dir/file", "x");
        assertThatThrownBy(() -> put("dir", "y")).satisfies(code(ErrorCode.CONFLICT));
    }

    @Test
    void shouldRefuseReservedAndOverlongSegments() {
        assertThatThrownBy(() -> put(".skyforge/meta/x", "x")).satisfies(code(ErrorCode.INVALID_KEY));
        assertThatThrownBy(() -> put("s".repeat(256), "x")).satisfies(code(ErrorCode.INVALID_KEY));
    }

    @Test
    void shouldNotListItsOwnMetadataOrTemporaryFiles() {
        put("only", "1");
        assertThat(store.listAll("data", "").map(ObjectSummary::key)).containsExactly("only");
        assertThat(root.resolve("data/.skyforge/meta/only")).exists();
    }

    @Test
    void shouldDescribeFilesDroppedInByHand() throws Exception {
        Files.createDirectories(root.resolve("data/manual"));
        Files.writeString(root.resolve("data/manual/notes.txt"), "hand made");
        ObjectInfo info = store.head("data", "manual/notes.txt").orElseThrow();
        assertThat(info.size()).isEqualTo(9);
        assertThat(info.etag()).startsWith("fs-");
        assertThat(info.sha256()).isNull();
        assertThat(store.listAll("data", "manual/").map(ObjectSummary::key)).containsExactly("manual/notes.txt");
        ObjectInfo rewritten = store.put("data", "manual/notes.txt", new ByteArrayInputStream(new byte[] {1}),
                PutOptions.DEFAULT.withPrecondition(Precondition.ifMatch(info.etag())));
        assertThat(rewritten.sha256()).isNotNull();
    }

    @Test
    void shouldIgnoreStaleSidecarWhenFileChangedBehindItsBack() throws Exception {
        put("edited", "original");
        Files.writeString(root.resolve("data/edited"), "edited by hand, longer");
        ObjectInfo info = store.head("data", "edited").orElseThrow();
        assertThat(info.size()).isEqualTo(22);
        assertThat(info.etag()).startsWith("fs-");
    }

    @Test
    void shouldLetOneOfTwoStoresOnTheSameRootWinACreateRace() throws Exception {
        ObjectStore second = ObjectStores.open(ObjectStoreConfig.builder("filesystem").root(root.toString()).build());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String key = "race-" + round;
                CyclicBarrier barrier = new CyclicBarrier(2);
                List<Future<Boolean>> results = new ArrayList<>();
                for (ObjectStore s : List.of(store, second)) {
                    results.add(pool.submit(() -> {
                        barrier.await(5, TimeUnit.SECONDS);
                        try {
                            s.put("data", key, new ByteArrayInputStream(new byte[100_000]),
                                    PutOptions.DEFAULT.withPrecondition(Precondition.IF_ABSENT));
                            return true;
                        } catch (SkyforgeException e) {
                            assertThat(e.code()).isEqualTo(ErrorCode.PRECONDITION_FAILED);
                            return false;
                        }
                    }));
                }
                int wins = 0;
                for (Future<Boolean> f : results) {
                    wins += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(wins).as(key).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
            second.close();
        }
        assertThat(Files.list(root.resolve("data/.skyforge/tmp"))).isEmpty();
    }

    @Test
    void shouldReportProbeDownWhenRootDisappears() throws Exception {
        assertThat(store.probe().up()).isTrue();
        Path other = tmp.resolve("gone");
        ObjectStore doomed = ObjectStores.open(ObjectStoreConfig.builder("filesystem").root(other.toString()).build());
        Files.delete(other);
        assertThat(doomed.probe()).satisfies(h -> {
            assertThat(h.up()).isFalse();
            assertThat(h.error()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(h.message()).contains("does not exist");
        });
    }

    @Test
    void shouldRequireRootAndRefuseCloudCredentials() {
        List<Violation> v = ObjectStores.validate(ObjectStoreConfig.builder("filesystem").secretKey("hunter2").build());
        assertThat(v).extracting(Violation::path).containsExactly("root", "secretKey");
        assertThat(v.toString()).doesNotContain("hunter2");
    }
}
