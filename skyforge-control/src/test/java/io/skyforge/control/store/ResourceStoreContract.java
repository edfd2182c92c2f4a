package io.skyforge.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.core.codec.Json;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.ObjectMeta;
import io.skyforge.core.model.Resource;
import io.skyforge.core.select.LabelSelector;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The behaviour every {@link ResourceStore} database must show. Subclasses provide a fresh, empty
 * database per test (H2 in a temp dir, PostgreSQL in its own database).
 */
abstract class ResourceStoreContract {

    /** A JDBC URL of a new, empty database. Called once per test. */
    protected abstract String newDatabase() throws Exception;

    /** Drops what {@link #newDatabase} made, after every store on it is closed. */
    protected void dropDatabase() throws Exception {
    }

    protected static final JdbcResourceStore.Options OPTIONS =
            JdbcResourceStore.Options.DEFAULTS.withPollInterval(Duration.ofMillis(50));

    private final List<JdbcResourceStore> opened = new ArrayList<>();
    protected String url;
    protected JdbcResourceStore store;

    @BeforeEach
    void openStore() throws Exception {
        url = newDatabase();
        store = open(OPTIONS);
    }

    @AfterEach
    void closeStores() throws Exception {
        opened.forEach(JdbcResourceStore::close);
        dropDatabase();
    }

    protected JdbcResourceStore open(JdbcResourceStore.Options options) {
        JdbcResourceStore s = JdbcResourceStore.open(url, options);
        opened.add(s);
        return s;
    }

    // ------------------------------------------------------------------ fixtures

    static ObjectNode json(String text) {
        return (ObjectNode) Json.MAPPER.readTree(text);
    }

    static Resource bucket(String ns, String name, Map<String, String> labels, String spec) {
        return new Resource(Kinds.LOGICAL_BUCKET.apiVersion(), Kinds.LOGICAL_BUCKET.kind(),
                new ObjectMeta(name, ns, labels, Map.of(), null, null, null, null), json(spec), null);
    }

    static Resource bucket(String ns, String name) {
        return bucket(ns, name, Map.of(), "{\"providers\":[{\"cloud\":\"CLOUD_A\",\"physicalId\":\"" + name + "\"}]}");
    }

    static Resource cloud(String name) {
        return new Resource(Kinds.CLOUD.apiVersion(), Kinds.CLOUD.kind(), ObjectMeta.named(name, null),
                json("{\"type\":\"filesystem\",\"root\":\"/tmp/" + name + "\"}"), null);
    }

    static SkyforgeException failure(ThrowableAssert.ThrowingCallable call) {
        AtomicReference<Throwable> caught = new AtomicReference<>();
        assertThatThrownBy(() -> {
            try {
                call.call();
            } catch (Throwable t) {
                caught.set(t);
                throw t;
            }
        }).isInstanceOf(SkyforgeException.class);
        return (SkyforgeException) caught.get();
    }

    // ------------------------------------------------------------------ CRUD

    @Test
    void shouldSetStoreOwnedFieldsOnCreateAndIgnoreTheClients() {
        Resource sent = bucket("default", "lb-123").withMetadata(
                new ObjectMeta("lb-123", "default", Map.of("app", "shop"), Map.of("note", "x"),
                        "client-uid", "999", 42L, Instant.parse("2000-01-01T00:00:00Z")));
        Instant before = Instant.now().minusSeconds(1);

        Resource created = store.create(sent);

        ObjectMeta m = created.metadata();
        assertThat(m.uid()).isNotEqualTo("client-uid").hasSize(36);
        assertThat(m.generation()).isEqualTo(1L);
        assertThat(Long.parseLong(m.resourceVersion())).isEqualTo(store.currentResourceVersion());
        assertThat(m.creationTimestamp()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
        assertThat(m.labels()).containsEntry("app", "shop");
        assertThat(m.annotations()).containsEntry("note", "x");
        assertThat(store.get(Kinds.LOGICAL_BUCKET, "default", "lb-123")).contains(created);
    }

    @Test
    void shouldRefuseToCreateTheSameResourceTwice() {
        store.create(bucket("default", "dup"));

        SkyforgeException e = failure(() -> store.create(bucket("default", "dup")));

        assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertThat(e.getMessage()).contains("LogicalBucket default/dup already exists");
    }

    @Test
    void shouldAllowTheSameNameInDifferentNamespacesAndKinds() {
        store.create(bucket("default", "same"));
        store.create(bucket("team-a", "same"));
        store.create(cloud("same"));

        assertThat(store.get(Kinds.LOGICAL_BUCKET, "team-a", "same")).isPresent();
        assertThat(store.get(Kinds.CLOUD, null, "same")).isPresent();
    }

    @Test
    void shouldAnswerEmptyForAMissingGetAndNotFoundForUpdateOrDeleteOfIt() {
        assertThat(store.get(Kinds.LOGICAL_BUCKET, "default", "nope")).isEmpty();
        assertThat(failure(() -> store.update(bucket("default", "nope"))).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(failure(() -> store.updateStatus(bucket("default", "nope"))).code()).isEqualTo(ErrorCode.NOT_FOUND);
        SkyforgeException e = failure(() -> store.delete(Kinds.LOGICAL_BUCKET, "default", "nope", null));
        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(e.getMessage()).contains("LogicalBucket default/nope not found");
    }

    @Test
    void shouldBumpGenerationOnlyWhenTheSpecChanges() {
        Resource v1 = store.create(bucket("default", "gen", Map.of("a", "1"), "{\"providers\":[]}"));

        Resource relabelled = store.update(v1.withMetadata(v1.metadata().withLabels(Map.of("a", "2"))));
        assertThat(relabelled.metadata().generation()).isEqualTo(1L);
        assertThat(Long.parseLong(relabelled.metadata().resourceVersion()))
                .isGreaterThan(Long.parseLong(v1.metadata().resourceVersion()));

        Resource respecced = store.update(relabelled.withSpec(json("{\"providers\":[],\"primary\":\"CLOUD_A\"}")));
        assertThat(respecced.metadata().generation()).isEqualTo(2L);
        assertThat(respecced.metadata().uid()).isEqualTo(v1.metadata().uid());
        assertThat(respecced.metadata().creationTimestamp()).isEqualTo(v1.metadata().creationTimestamp());
        assertThat(store.get(Kinds.LOGICAL_BUCKET, "default", "gen")).contains(respecced);
    }

    @Test
    void shouldNotWriteAnUpdateThatChangesNothing() {
        Resource v1 = store.create(bucket("default", "same-again"));
        long rv = store.currentResourceVersion();

        Resource again = store.update(v1);

        assertThat(again).isEqualTo(v1);
        assertThat(store.currentResourceVersion()).isEqualTo(rv);
    }

    @Test
    void shouldKeepStatusOnUpdateAndChangeOnlyStatusOnUpdateStatus() {
        Resource v1 = store.create(bucket("default", "st"));
        Resource withStatus = store.updateStatus(v1.withStatus(json("{\"phase\":\"Ready\"}"))
                .withSpec(json("{\"providers\":[],\"ignored\":true}")));
        assertThat(withStatus.status().get("phase").asString()).isEqualTo("Ready");
        assertThat(withStatus.spec()).isEqualTo(v1.spec());
        assertThat(withStatus.metadata().generation()).isEqualTo(1L);

        Resource updated = store.update(withStatus.withSpec(json("{\"providers\":[]}")).withStatus(null));

        assertThat(updated.status().get("phase").asString()).isEqualTo("Ready");
        assertThat(updated.metadata().generation()).isEqualTo(2L);
    }

    @Test
    void shouldRejectAStaleResourceVersionWithConflict() {
        Resource v1 = store.create(bucket("default", "cas"));
        Resource v2 = store.update(v1.withMetadata(v1.metadata().withLabels(Map.of("x", "y"))));

        SkyforgeException e = failure(() -> store.update(v1.withSpec(json("{\"providers\":[]}"))));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(e.getMessage()).isEqualTo("the object has been modified; re-read it and apply again (stored resourceVersion "
                + v2.metadata().resourceVersion() + ", yours " + v1.metadata().resourceVersion() + ")");
        assertThat(failure(() -> store.updateStatus(v1.withStatus(json("{\"a\":1}")))).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(failure(() -> store.delete(Kinds.LOGICAL_BUCKET, "default", "cas", v1.metadata().resourceVersion())).code())
                .isEqualTo(ErrorCode.CONFLICT);
        assertThat(store.get(Kinds.LOGICAL_BUCKET, "default", "cas")).contains(v2);
    }

    @Test
    void shouldApplyAnUpdateWithoutResourceVersionUnconditionally() {
        Resource v1 = store.create(bucket("default", "blind"));
        store.update(v1.withMetadata(v1.metadata().withLabels(Map.of("x", "y"))));

        Resource blind = store.update(v1.withMetadata(v1.metadata().withResourceVersion(null))
                .withSpec(json("{\"providers\":[]}")));

        assertThat(blind.metadata().generation()).isEqualTo(2L);
        assertThat(blind.metadata().labels()).isEmpty();
    }

    @Test
    void shouldLetExactlyOneOfTwoConcurrentUpdatesWithTheSameResourceVersionWin() throws Exception {
        raceTwoWriters(store, store);
    }

    @Test
    void shouldLetExactlyOneWinAcrossTwoStoreInstancesOnOneDatabase() throws Exception {
        raceTwoWriters(store, open(OPTIONS));
    }

    private void raceTwoWriters(ResourceStore a, ResourceStore b) throws Exception {
        for (int round = 0; round < 20; round++) {
            Resource base = a.create(bucket("default", "race-" + round));
            CyclicBarrier start = new CyclicBarrier(2);
            List<Object> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ResourceStore s = i == 0 ? a : b;
                String writer = "w" + i;
                Thread t = new Thread(() -> {
                    try {
                        start.await(10, TimeUnit.SECONDS);
                        outcomes.add(s.update(base.withMetadata(base.metadata().withLabels(Map.of("writer", writer)))));
                    } catch (SkyforgeException e) {
                        outcomes.add(e.code());
                    } catch (Exception e) {
                        outcomes.add(e);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(30_000);
            }
            assertThat(outcomes).hasSize(2);
            List<Resource> winners = outcomes.stream().filter(Resource.class::isInstance).map(Resource.class::cast).toList();
            assertThat(winners).as("round %d: %s", round, outcomes).hasSize(1);
            assertThat(outcomes).as("round %d", round).contains(ErrorCode.CONFLICT);
            assertThat(a.get(Kinds.LOGICAL_BUCKET, "default", "race-" + round)).contains(winners.get(0));
        }
    }

    @Test
    void shouldDeleteAndReturnTheLastState() {
        Resource v1 = store.create(bucket("default", "gone", Map.of("k", "v"), "{\"providers\":[]}"));
        store.updateStatus(v1.withStatus(json("{\"phase\":\"Ready\"}")));

        Resource last = store.delete(Kinds.LOGICAL_BUCKET, "default", "gone", null);

        assertThat(last.status().get("phase").asString()).isEqualTo("Ready");
        assertThat(last.metadata().labels()).containsEntry("k", "v");
        assertThat(last.metadata().resourceVersion()).isEqualTo(Long.toString(store.currentResourceVersion()));
        assertThat(store.get(Kinds.LOGICAL_BUCKET, "default", "gone")).isEmpty();
        assertThat(store.list(Kinds.LOGICAL_BUCKET, null, LabelSelector.parse("k=v"), 0, null).items()).isEmpty();
        // the name is free again
        assertThat(store.create(bucket("default", "gone")).metadata().generation()).isEqualTo(1L);
    }

    // ------------------------------------------------------------------ scope and namespaces

    @Test
    void shouldKeepClusterScopedKindsOutOfNamespaces() {
        Resource created = store.create(cloud("cloud-a").withMetadata(ObjectMeta.named("cloud-a", "team-x")));

        assertThat(created.namespace()).isNull();
        assertThat(store.get(Kinds.CLOUD, "whatever", "cloud-a")).contains(created);
        assertThat(store.get(Kinds.CLOUD, null, "cloud-a")).contains(created);
        assertThat(store.namespaces()).doesNotContain("team-x");
        assertThat(store.delete(Kinds.CLOUD, null, "cloud-a", null).name()).isEqualTo("cloud-a");
    }

    @Test
    void shouldRequireANamespaceForNamespacedKinds() {
        SkyforgeException e = failure(() -> store.create(bucket(null, "no-ns")));

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
        assertThat(e.getMessage()).contains("LogicalBucket is namespaced");
        assertThat(failure(() -> store.get(Kinds.LOGICAL_BUCKET, "", "no-ns")).code()).isEqualTo(ErrorCode.VALIDATION);
    }

    @Test
    void shouldHaveTheDefaultNamespaceAndCreateOthersOnFirstUse() {
        assertThat(store.namespaces()).containsExactly("default");

        store.create(bucket("team-b", "x"));
        store.create(bucket("team-a", "y"));
        store.create(bucket("team-a", "z"));

        assertThat(store.namespaces()).containsExactly("default", "team-a", "team-b");
    }

    @Test
    void shouldRefuseInvalidLabels() {
        SkyforgeException e = failure(() -> store.create(bucket("default", "bad-labels",
                Map.of("-bad", "ok", "good", "not ok!"), "{}")));

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
        assertThat(e.getMessage()).contains("'-bad'").contains("metadata.labels.good");
        assertThat(store.get(Kinds.LOGICAL_BUCKET, "default", "bad-labels")).isEmpty();
    }

    // ------------------------------------------------------------------ list

    @Test
    void shouldFilterByEveryKindOfLabelRequirement() {
        store.create(bucket("default", "a", Map.of("app", "web", "tier", "front"), "{}"));
        store.create(bucket("default", "b", Map.of("app", "web", "tier", "back", "legacy", "true"), "{}"));
        store.create(bucket("default", "c", Map.of("app", "db"), "{}"));
        store.create(bucket("team-a", "d", Map.of("app", "web"), "{}"));
        store.create(bucket("default", "e", Map.of(), "{}"));

        assertThat(names("app=web")).containsExactly("default/a", "default/b", "team-a/d");
        assertThat(names("app==web,tier=back")).containsExactly("default/b");
        assertThat(names("app!=web")).containsExactly("default/c", "default/e");
        assertThat(names("tier in (front, back)")).containsExactly("default/a", "default/b");
        assertThat(names("tier notin (front)")).containsExactly("default/b", "default/c", "default/e", "team-a/d");
        assertThat(names("tier")).containsExactly("default/a", "default/b");
        assertThat(names("!tier")).containsExactly("default/c", "default/e", "team-a/d");
        assertThat(names("app=web,!legacy")).containsExactly("default/a", "team-a/d");
        assertThat(names("app in (web,db),tier notin (back),!legacy"))
                .containsExactly("default/a", "default/c", "team-a/d");
        assertThat(names("")).hasSize(5);
        assertThat(store.list(Kinds.LOGICAL_BUCKET, "team-a", LabelSelector.parse("app=web"), 0, null).items())
                .extracting(Resource::name).containsExactly("d");
        assertThat(store.list(Kinds.CLOUD, null, LabelSelector.parse("app=web"), 0, null).items()).isEmpty();
    }

    private List<String> names(String selector) {
        return store.list(Kinds.LOGICAL_BUCKET, null, LabelSelector.parse(selector), 0, null).items().stream()
                .map(r -> r.namespace() + "/" + r.name()).toList();
    }

    @Test
    void shouldFollowLabelChangesInSelectors() {
        Resource v1 = store.create(bucket("default", "moving", Map.of("stage", "dev"), "{}"));
        store.update(v1.withMetadata(v1.metadata().withLabels(Map.of("stage", "prod"))));

        assertThat(names("stage=dev")).isEmpty();
        assertThat(names("stage=prod")).containsExactly("default/moving");
    }

    @Test
    void shouldPageThroughEveryItemOnceWithContinueTokens() {
        int total = 2_500;
        for (int i = 0; i < total; i++) {
            String ns = i % 2 == 0 ? "team-a" : "team-b";
            store.create(bucket(ns, String.format("item-%05d", i), Map.of("parity", i % 2 == 0 ? "even" : "odd",
                    "tens", Integer.toString(i / 10 % 10)), "{}"));
        }
        long rvAfterWrites = store.currentResourceVersion();

        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            ResourcePage page = store.list(Kinds.LOGICAL_BUCKET, null, LabelSelector.EVERYTHING, 300, token);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(300);
            assertThat(page.resourceVersion()).isEqualTo(rvAfterWrites);
            page.items().forEach(r -> seen.add(r.namespace() + "/" + r.name()));
            token = page.continueToken();
            pages++;
        } while (token != null);

        assertThat(pages).isEqualTo(9);
        assertThat(seen).hasSize(total).doesNotHaveDuplicates();
        assertThat(seen).isSorted();
        assertThat(seen.get(0)).isEqualTo("team-a/item-00000");
        assertThat(seen.get(total - 1)).isEqualTo("team-b/item-02499");

        List<String> filtered = new ArrayList<>();
        token = null;
        do {
            ResourcePage page = store.list(Kinds.LOGICAL_BUCKET, "team-b", LabelSelector.parse("tens in (3,4),parity!=even"),
                    40, token);
            page.items().forEach(r -> filtered.add(r.name()));
            token = page.continueToken();
        } while (token != null);
        assertThat(filtered).hasSize(250).allMatch(n -> {
            int i = Integer.parseInt(n.substring(5));
            return i % 2 == 1 && (i / 10 % 10 == 3 || i / 10 % 10 == 4);
        });
    }

    @Test
    void shouldEndWithoutATokenWhenTheLastPageIsExactlyFull() {
        for (int i = 0; i < 4; i++) {
            store.create(bucket("default", "p" + i));
        }
        ResourcePage first = store.list(Kinds.LOGICAL_BUCKET, "default", LabelSelector.EVERYTHING, 2, null);
        ResourcePage second = store.list(Kinds.LOGICAL_BUCKET, "default", LabelSelector.EVERYTHING, 2, first.continueToken());

        assertThat(first.items()).extracting(Resource::name).containsExactly("p0", "p1");
        assertThat(second.items()).extracting(Resource::name).containsExactly("p2", "p3");
        assertThat(second.continueToken()).isNull();
    }

    @Test
    void shouldRejectAForgedContinueToken() {
        SkyforgeException e = failure(() -> store.list(Kinds.LOGICAL_BUCKET, null, LabelSelector.EVERYTHING, 10, "%%%"));

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
        assertThat(e.getMessage()).contains("continue token");
    }

    // ------------------------------------------------------------------ durability

    @Test
    void shouldKeepEverythingAcrossCloseAndReopen() {
        Resource a = store.create(bucket("team-a", "durable", Map.of("k", "v"), "{\"providers\":[]}"));
        Resource c = store.create(cloud("cloud-a"));
        long rv = store.currentResourceVersion();
        store.close();

        JdbcResourceStore reopened = open(OPTIONS);

        assertThat(reopened.get(Kinds.LOGICAL_BUCKET, "team-a", "durable")).contains(a);
        assertThat(reopened.get(Kinds.CLOUD, null, "cloud-a")).contains(c);
        assertThat(reopened.namespaces()).contains("team-a");
        assertThat(reopened.currentResourceVersion()).isEqualTo(rv);
        assertThat(reopened.list(Kinds.LOGICAL_BUCKET, null, LabelSelector.parse("k=v"), 0, null).items()).containsExactly(a);
        Resource next = reopened.create(bucket("team-a", "after"));
        assertThat(Long.parseLong(next.metadata().resourceVersion())).isEqualTo(rv + 1);
    }

    // ------------------------------------------------------------------ watch

    static final class Recorder implements WatchListener {
        final BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        final BlockingQueue<SkyforgeException> errors = new LinkedBlockingQueue<>();

        @Override
        public void onEvent(WatchEvent event) {
            events.add(event);
        }

        @Override
        public void onError(SkyforgeException error) {
            errors.add(error);
        }

        List<WatchEvent> take(int n) throws InterruptedException {
            List<WatchEvent> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                WatchEvent e = events.poll(10, TimeUnit.SECONDS);
                assertThat(e).as("event %d of %d (got %s)", i + 1, n, out).isNotNull();
                out.add(e);
            }
            return out;
        }
    }

    @Test
    void shouldDeliverChangesInResourceVersionOrder() throws Exception {
        Recorder rec = new Recorder();
        Watch w = store.watch(Kinds.LOGICAL_BUCKET, "default", null, rec);
        try {
            Resource v1 = store.create(bucket("default", "w1"));
            store.create(bucket("other", "ignored-namespace"));
            store.create(cloud("ignored-kind"));
            Resource v2 = store.update(v1.withSpec(json("{\"providers\":[]}")));
            Resource gone = store.delete(Kinds.LOGICAL_BUCKET, "default", "w1", null);

            List<WatchEvent> got = rec.take(3);

            assertThat(got).extracting(WatchEvent::type)
                    .containsExactly(WatchEvent.Type.ADDED, WatchEvent.Type.MODIFIED, WatchEvent.Type.DELETED);
            assertThat(got).extracting(WatchEvent::object).containsExactly(v1, v2, gone);
            assertThat(got).extracting(WatchEvent::resourceVersion).containsExactly(
                    Long.parseLong(v1.metadata().resourceVersion()), Long.parseLong(v2.metadata().resourceVersion()),
                    Long.parseLong(gone.metadata().resourceVersion()));
            assertThat(rec.events.poll(200, TimeUnit.MILLISECONDS)).isNull();
        } finally {
            w.close();
        }
    }

    @Test
    void shouldReplayStoredEventsAfterAGivenResourceVersion() throws Exception {
        Resource a = store.create(bucket("default", "r1"));
        Resource b = store.create(bucket("team-a", "r2"));
        Resource b2 = store.update(b.withSpec(json("{\"providers\":[]}")));

        Recorder rec = new Recorder();
        Watch w = store.watch(Kinds.LOGICAL_BUCKET, null, a.metadata().resourceVersion(), rec);
        try {
            Resource c = store.create(bucket("default", "r3"));

            assertThat(rec.take(3)).extracting(WatchEvent::object).containsExactly(b, b2, c);
        } finally {
            w.close();
        }
    }

    @Test
    void shouldStopDeliveringAfterClose() throws Exception {
        Recorder rec = new Recorder();
        Watch w = store.watch(Kinds.LOGICAL_BUCKET, null, null, rec);
        store.create(bucket("default", "before"));
        rec.take(1);

        w.close();
        store.create(bucket("default", "after"));

        assertThat(rec.events.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void shouldKeepDeliveringToOtherWatchesWhileOneListenerIsStuck() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<WatchEvent> stuckGot = new LinkedBlockingQueue<>();
        Watch stuck = store.watch(Kinds.LOGICAL_BUCKET, null, null, event -> {
            stuckGot.add(event);
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Recorder fast = new Recorder();
        Watch w = store.watch(Kinds.LOGICAL_BUCKET, null, null, fast);
        try {
            for (int i = 0; i < 5; i++) {
                store.create(bucket("default", "s" + i));
            }

            assertThat(fast.take(5)).extracting(e -> e.object().name()).containsExactly("s0", "s1", "s2", "s3", "s4");
            assertThat(stuckGot).hasSize(1);
            release.countDown();
            List<String> late = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                WatchEvent e = stuckGot.poll(10, TimeUnit.SECONDS);
                assertThat(e).as("event %d after release", i).isNotNull();
                late.add(e.object().name());
            }
            assertThat(late).containsExactly("s0", "s1", "s2", "s3", "s4");
        } finally {
            release.countDown();
            stuck.close();
            w.close();
        }
    }

    @Test
    void shouldSeeAnotherInstancesWritesThroughItsWatch() throws Exception {
        JdbcResourceStore other = open(OPTIONS);
        Recorder rec = new Recorder();
        Watch w = other.watch(Kinds.LOGICAL_BUCKET, null, null, rec);
        try {
            Resource created = store.create(bucket("default", "from-a"));
            Resource updated = store.update(created.withSpec(json("{\"providers\":[]}")));

            assertThat(rec.take(2)).extracting(WatchEvent::object).containsExactly(created, updated);
        } finally {
            w.close();
        }
    }

    @Test
    void shouldRefuseToResumeFromAPrunedResourceVersion() throws Exception {
        store.close();
        JdbcResourceStore small = open(OPTIONS.withRetainedEvents(5));
        Resource first = small.create(bucket("default", "old-0"));
        for (int i = 1; i < 20; i++) {
            small.create(bucket("default", "old-" + i));
        }
        small.pruneEvents();

        SkyforgeException e = failure(() -> small.watch(Kinds.LOGICAL_BUCKET, null, first.metadata().resourceVersion(), event -> {
        }));

        assertThat(e.code()).isEqualTo(ErrorCode.GONE);
        assertThat(e.getMessage()).contains("list again");
        Recorder rec = new Recorder();
        long recent = small.currentResourceVersion() - 5;
        Watch w = small.watch(Kinds.LOGICAL_BUCKET, null, Long.toString(recent), rec);
        try {
            assertThat(rec.take(5)).extracting(WatchEvent::resourceVersion)
                    .containsExactly(recent + 1, recent + 2, recent + 3, recent + 4, recent + 5);
        } finally {
            w.close();
        }
    }

    @Test
    void shouldEndAWatchThatAnotherInstancePrunedPastWithGone() throws Exception {
        // The watching instance polls rarely, so only its own write wakes it after the other pruned.
        JdbcResourceStore watching = open(OPTIONS.withPollInterval(Duration.ofHours(1)));
        JdbcResourceStore pruning = open(OPTIONS.withRetainedEvents(5));
        Recorder rec = new Recorder();
        watching.watch(Kinds.CLOUD, null, null, rec);
        Thread.sleep(500);
        for (int i = 0; i < 20; i++) {
            pruning.create(bucket("default", "burst-" + i));
        }
        pruning.pruneEvents();

        watching.create(cloud("wake-up"));

        SkyforgeException e = rec.errors.poll(10, TimeUnit.SECONDS);
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.GONE);
        assertThat(rec.events).isEmpty();
    }

    @Test
    void shouldEndWatchesWithAnErrorWhenTheStoreCloses() throws Exception {
        Recorder rec = new Recorder();
        store.watch(Kinds.LOGICAL_BUCKET, null, null, rec);

        store.close();

        SkyforgeException e = rec.errors.poll(5, TimeUnit.SECONDS);
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void shouldDeliverManyConcurrentWritesToAWatchWithoutGapsOrDuplicates() throws Exception {
        Recorder rec = new Recorder();
        Watch w = store.watch(Kinds.LOGICAL_BUCKET, null, null, rec);
        try {
            int threads = 4;
            int each = 50;
            CountDownLatch done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                int id = t;
                new Thread(() -> {
                    try {
                        for (int i = 0; i < each; i++) {
                            store.create(bucket("default", "c-" + id + "-" + i));
                        }
                    } finally {
                        done.countDown();
                    }
                }).start();
            }
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();

            List<Long> rvs = rec.take(threads * each).stream().map(WatchEvent::resourceVersion).toList();

            assertThat(rvs).isSorted().doesNotHaveDuplicates();
            assertThat(rvs.get(rvs.size() - 1) - rvs.get(0)).isEqualTo(threads * each - 1);
            assertThat(Optional.ofNullable(rec.events.poll(100, TimeUnit.MILLISECONDS))).isEmpty();
        } finally {
            w.close();
        }
    }
}
