package io.skyforge.control.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.skyforge.core.codec.Json;
import io.skyforge.core.codec.ResourceJson;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.ObjectMeta;
import io.skyforge.core.model.Resource;
import io.skyforge.core.model.ResourceKind;
import io.skyforge.core.select.LabelSelector;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * {@link ResourceStore} over JDBC: an H2 file database in the data dir by default, PostgreSQL for
 * production and for several control-plane replicas sharing one database. Schema by Flyway
 * ({@code db/migration}); the same migrations run on both.
 *
 * <p>Every write increments one counter row first and holds its lock until commit. That serialises
 * writers (also across processes on PostgreSQL), gives one global gap-free resourceVersion and makes
 * events become visible in resourceVersion order, which is what lets watchers poll "events after N".
 * Updates are still a compare-and-set on the row's resourceVersion, so a read-modify-write that
 * raced another writer is detected rather than lost.
 */
public final class JdbcResourceStore implements ResourceStore {

    private static final System.Logger LOG = System.getLogger(JdbcResourceStore.class.getName());

    /** Largest stored JSON document, in characters; the column types of V1 allow exactly this. */
    public static final int MAX_BODY_CHARS = 1_048_576;
    /** Largest label map as JSON, in characters (the {@code labels} column). */
    public static final int MAX_LABELS_CHARS = 65_536;
    private static final int EVENT_BATCH = 500;
    private static final int MAX_PENDING_EVENTS = 10_000;
    private static final int MAX_UNCONDITIONAL_RETRIES = 20;
    private static final Duration PRUNE_EVERY = Duration.ofSeconds(10);

    /**
     * Tuning.
     *
     * @param maxPoolSize    JDBC connections
     * @param pollInterval   how often watchers look for other processes' writes (own writes wake them at once)
     * @param retainedEvents how many of the newest events are kept for watches that resume
     */
    public record Options(int maxPoolSize, Duration pollInterval, int retainedEvents) {

        public static final Options DEFAULTS = new Options(10, Duration.ofMillis(200), 10_000);

        public Options {
            Objects.requireNonNull(pollInterval, "pollInterval");
            List<String> problems = new ArrayList<>();
            if (maxPoolSize < 1) {
                problems.add("maxPoolSize must be at least 1, got " + maxPoolSize);
            }
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                problems.add("pollInterval must be positive, got " + pollInterval);
            }
            if (retainedEvents < 1) {
                problems.add("retainedEvents must be at least 1, got " + retainedEvents);
            }
            if (!problems.isEmpty()) {
                throw new SkyforgeException(ErrorCode.VALIDATION, "invalid store options: " + String.join("; ", problems));
            }
        }

        public Options withRetainedEvents(int n) {
            return new Options(maxPoolSize, pollInterval, n);
        }

        public Options withPollInterval(Duration d) {
            return new Options(maxPoolSize, d, retainedEvents);
        }
    }

    private final DataSource dataSource;
    private final AutoCloseable ownedPool;
    private final Options options;
    private final CopyOnWriteArrayList<WatchImpl> watches = new CopyOnWriteArrayList<>();
    private final Object wakeLock = new Object();
    private boolean wakePending;
    private volatile boolean closed;
    private final Thread dispatcher;
    private final ExecutorService delivery;

    private JdbcResourceStore(DataSource dataSource, AutoCloseable ownedPool, Options options) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.options = options;
        AtomicInteger threads = new AtomicInteger();
        this.delivery = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "skyforge-watch-delivery-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.dispatcher = new Thread(this::dispatchLoop, "skyforge-store-watch");
        this.dispatcher.setDaemon(true);
        this.dispatcher.start();
    }

    /** The default embedded store: H2 file database {@code <dataDir>/skyforge.mv.db}, created when absent. */
    public static JdbcResourceStore openDataDir(Path dataDir) {
        return open(h2Url(dataDir), Options.DEFAULTS);
    }

    /** The JDBC URL of the embedded H2 database in a data dir. */
    public static String h2Url(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new SkyforgeException(ErrorCode.IO, "cannot create the data dir " + dataDir + ": " + e.getMessage(), e);
        }
        // PostgreSQL mode keeps SQL behaviour close to production; a 10 s lock timeout because all
        // writers queue on the resourceVersion counter row and H2's default (1 s) is too short under load.
        // WRITE_DELAY=0 writes every commit to the file before it returns: with H2's default (500 ms) a
        // killed control plane loses the commits of its last half second — applied resources, and task
        // results workers were told were recorded. About 1 ms per commit; the OS still decides when to fsync.
        // DB_CLOSE_ON_EXIT=FALSE: the store closes the database itself (close() ends the pool); H2's own
        // shutdown hook closed it under the controllers still running during shutdown, which logged errors.
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("skyforge")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000;WRITE_DELAY=0"
                + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** Opens a store on a JDBC URL ({@code jdbc:h2:...} or {@code jdbc:postgresql://...}) and migrates it. */
    public static JdbcResourceStore open(String jdbcUrl) {
        return open(jdbcUrl, Options.DEFAULTS);
    }

    public static JdbcResourceStore open(String jdbcUrl, Options options) {
        return open(jdbcUrl, null, null, options);
    }

    /** As {@link #open(String, Options)}, with credentials kept out of the URL (null: none or in the URL). */
    public static JdbcResourceStore open(String jdbcUrl, String user, String password, Options options) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(options, "options");
        if (!jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new SkyforgeException(ErrorCode.VALIDATION,
                    "unsupported store URL " + redact(jdbcUrl) + ": use jdbc:postgresql://host:port/db or jdbc:h2:file:path");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(options.maxPoolSize());
        config.setPoolName("skyforge-store");
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new SkyforgeException(ErrorCode.UNAVAILABLE,
                    "cannot connect to the store at " + redact(jdbcUrl) + ": " + rootMessage(e), e);
        }
        try {
            migrate(pool);
            return new JdbcResourceStore(pool, pool, options);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** A store over a pool someone else owns (and closes); migrates it. */
    public static JdbcResourceStore open(DataSource dataSource, Options options) {
        migrate(dataSource);
        return new JdbcResourceStore(dataSource, null, options);
    }

    private static void migrate(DataSource ds) {
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (FlywayException e) {
            throw new SkyforgeException(ErrorCode.INTERNAL, "store schema migration failed: " + rootMessage(e), e);
        }
    }

    /** The connection pool, for health checks and pool metrics; closed with the store when the store opened it. */
    public DataSource dataSource() {
        return dataSource;
    }

    // ------------------------------------------------------------------ reads

    @Override
    public Optional<Resource> get(ResourceKind kind, String namespace, String name) {
        ensureOpen();
        String ns = namespaceKey(kind, namespace);
        requireName(name);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT body FROM resources WHERE kind = ? AND namespace = ? AND name = ?")) {
            ps.setString(1, kind.kind());
            ps.setString(2, ns);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(parse(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw translate("get " + kind.kind() + " " + name, e);
        }
    }

    @Override
    public ResourcePage list(ResourceKind kind, String namespace, LabelSelector selector, int limit, String continueToken) {
        Objects.requireNonNull(kind, "kind");
        ensureOpen();
        if (limit < 0) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "limit must not be negative, got " + limit);
        }
        LabelSelector sel = selector == null ? LabelSelector.EVERYTHING : selector;
        String ns = !kind.namespaced() ? "" : (namespace == null || namespace.isBlank() ? null : namespace);
        String[] after = continueToken == null || continueToken.isEmpty() ? null : decodeToken(continueToken);

        StringBuilder sql = new StringBuilder("SELECT r.namespace, r.name, r.body FROM resources r WHERE r.kind = ?");
        List<Object> args = new ArrayList<>();
        args.add(kind.kind());
        if (ns != null) {
            sql.append(" AND r.namespace = ?");
            args.add(ns);
        }
        if (after != null) {
            sql.append(" AND (r.namespace > ? OR (r.namespace = ? AND r.name > ?))");
            args.add(after[0]);
            args.add(after[0]);
            args.add(after[1]);
        }
        // Every selector term is exact in SQL, so no row is parsed only to be thrown away.
        for (LabelSelector.Requirement req : sel.requirements()) {
            appendLabelTerm(sql, args, req);
        }
        sql.append(" ORDER BY r.namespace, r.name");
        if (limit > 0) {
            sql.append(" LIMIT ?");
            args.add((long) limit + 1);
        }
        try (Connection c = dataSource.getConnection()) {
            // Read the version before the rows: a watch from it may repeat a change already listed,
            // but can never miss one.
            long rv = currentResourceVersion(c);
            List<Resource> items = new ArrayList<>();
            String token = null;
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    String lastNs = null;
                    String lastName = null;
                    while (rs.next()) {
                        if (limit > 0 && items.size() == limit) {
                            token = encodeToken(lastNs, lastName);
                            break;
                        }
                        lastNs = rs.getString(1);
                        lastName = rs.getString(2);
                        items.add(parse(rs.getString(3)));
                    }
                }
            }
            return new ResourcePage(items, token, rv);
        } catch (SQLException e) {
            throw translate("list " + kind.plural(), e);
        }
    }

    private static void appendLabelTerm(StringBuilder sql, List<Object> args, LabelSelector.Requirement req) {
        List<String> values = req.values();
        String in = String.join(", ", java.util.Collections.nCopies(values.size(), "?"));
        switch (req.operator()) {
            case EQUALS, IN -> {
                sql.append(" AND r.id IN (SELECT l.resource_id FROM resource_labels l WHERE l.label_key = ? AND l.label_value IN (")
                        .append(in).append("))");
                args.add(req.key());
                args.addAll(values);
            }
            case EXISTS -> {
                sql.append(" AND r.id IN (SELECT l.resource_id FROM resource_labels l WHERE l.label_key = ?)");
                args.add(req.key());
            }
            case NOT_EQUALS, NOT_IN -> {
                sql.append(" AND NOT EXISTS (SELECT 1 FROM resource_labels l WHERE l.resource_id = r.id AND l.label_key = ?"
                        + " AND l.label_value IN (").append(in).append("))");
                args.add(req.key());
                args.addAll(values);
            }
            case DOES_NOT_EXIST -> {
                sql.append(" AND NOT EXISTS (SELECT 1 FROM resource_labels l WHERE l.resource_id = r.id AND l.label_key = ?)");
                args.add(req.key());
            }
        }
    }

    @Override
    public List<String> namespaces() {
        ensureOpen();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name FROM namespaces ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw translate("list namespaces", e);
        }
    }

    @Override
    public long currentResourceVersion() {
        ensureOpen();
        try (Connection c = dataSource.getConnection()) {
            return currentResourceVersion(c);
        } catch (SQLException e) {
            throw translate("read the resourceVersion", e);
        }
    }

    private static long currentResourceVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT rv FROM resource_version_counter WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SkyforgeException(ErrorCode.INTERNAL, "store schema is damaged: the resourceVersion counter row is missing");
            }
            return rs.getLong(1);
        }
    }

    // ------------------------------------------------------------------ writes

    @Override
    public Resource create(Resource resource) {
        Objects.requireNonNull(resource, "resource");
        ensureOpen();
        ResourceKind kind = Kinds.of(resource);
        String name = requireName(resource.name());
        String ns = namespaceKey(kind, resource.namespace());
        checkLabels(resource.metadata().labels());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long rv = nextResourceVersion(c);
                if (rowId(c, kind, ns, name) != null) {
                    throw new SkyforgeException(ErrorCode.ALREADY_EXISTS, describe(kind, ns, name) + " already exists");
                }
                if (kind.namespaced()) {
                    ensureNamespace(c, ns);
                }
                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                ObjectMeta m = resource.metadata();
                ObjectMeta stored = new ObjectMeta(name, kind.namespaced() ? ns : null, m.labels(), m.annotations(),
                        UUID.randomUUID().toString(), Long.toString(rv), 1L, now);
                Resource result = new Resource(resource.apiVersion(), kind.kind(), stored, resource.spec(), resource.status());
                String body = serialize(result);
                long id;
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO resources (kind, namespace, name, uid, resource_version, generation, created_at, labels, body)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
                    ps.setString(1, kind.kind());
                    ps.setString(2, ns);
                    ps.setString(3, name);
                    ps.setString(4, stored.uid());
                    ps.setLong(5, rv);
                    ps.setLong(6, 1L);
                    ps.setObject(7, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                    ps.setString(8, labelsJson(result));
                    ps.setString(9, body);
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        if (!keys.next()) {
                            throw new SkyforgeException(ErrorCode.INTERNAL, "the database returned no id for a new resource row");
                        }
                        id = keys.getLong(1);
                    }
                }
                insertLabels(c, id, stored.labels());
                insertEvent(c, rv, WatchEvent.Type.ADDED, kind, ns, name, now, body);
                c.commit();
                wake();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw translate("create " + describe(kind, ns, name), e);
        }
    }

    @Override
    public Resource update(Resource resource) {
        Objects.requireNonNull(resource, "resource");
        ResourceKind kind = Kinds.of(resource);
        checkLabels(resource.metadata().labels());
        return modify(kind, resource.namespace(), resource.name(), resource.metadata().resourceVersion(), false, old -> {
            boolean specChanged = !old.spec().equals(resource.spec());
            ObjectMeta om = old.metadata();
            ObjectMeta nm = resource.metadata();
            if (!specChanged && om.labels().equals(nm.labels()) && om.annotations().equals(nm.annotations())) {
                return old;
            }
            ObjectMeta meta = new ObjectMeta(om.name(), om.namespace(), nm.labels(), nm.annotations(), om.uid(),
                    om.resourceVersion(), om.generation() + (specChanged ? 1 : 0), om.creationTimestamp());
            return new Resource(resource.apiVersion(), old.kind(), meta, resource.spec(), old.status());
        });
    }

    @Override
    public Resource updateStatus(Resource resource) {
        Objects.requireNonNull(resource, "resource");
        ResourceKind kind = Kinds.of(resource);
        return modify(kind, resource.namespace(), resource.name(), resource.metadata().resourceVersion(), false,
                old -> old.status().equals(resource.status()) ? old : old.withStatus(resource.status()));
    }

    @Override
    public Resource delete(ResourceKind kind, String namespace, String name, String expectedResourceVersion) {
        Objects.requireNonNull(kind, "kind");
        return modify(kind, namespace, name, expectedResourceVersion, true, UnaryOperator.identity());
    }

    /**
     * Read, change, compare-and-set. The read is outside the counter lock so that a conflicting or
     * no-op request never queues behind other writers; the CAS catches what changed in between.
     */
    private Resource modify(ResourceKind kind, String namespace, String name, String expectedRv, boolean delete,
                            UnaryOperator<Resource> change) {
        ensureOpen();
        String ns = namespaceKey(kind, namespace);
        requireName(name);
        for (int attempt = 0; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    Row row = readRow(c, kind, ns, name);
                    if (row == null) {
                        throw new SkyforgeException(ErrorCode.NOT_FOUND, describe(kind, ns, name) + " not found");
                    }
                    if (expectedRv != null && !expectedRv.equals(Long.toString(row.rv))) {
                        throw conflict(row.rv, expectedRv);
                    }
                    Resource old = parse(row.body);
                    Resource next = change.apply(old);
                    if (!delete && next == old) {
                        c.commit();
                        return old;
                    }
                    long rv = nextResourceVersion(c);
                    Resource stored = next.withMetadata(next.metadata().withResourceVersion(Long.toString(rv)));
                    String body = serialize(stored);
                    int changed;
                    if (delete) {
                        try (PreparedStatement ps = c.prepareStatement(
                                "DELETE FROM resources WHERE id = ? AND resource_version = ?")) {
                            ps.setLong(1, row.id);
                            ps.setLong(2, row.rv);
                            changed = ps.executeUpdate();
                        }
                    } else {
                        try (PreparedStatement ps = c.prepareStatement(
                                "UPDATE resources SET resource_version = ?, generation = ?, labels = ?, body = ?"
                                        + " WHERE id = ? AND resource_version = ?")) {
                            ps.setLong(1, rv);
                            ps.setLong(2, stored.metadata().generation());
                            ps.setString(3, labelsJson(stored));
                            ps.setString(4, body);
                            ps.setLong(5, row.id);
                            ps.setLong(6, row.rv);
                            changed = ps.executeUpdate();
                        }
                    }
                    if (changed == 0) {
                        // Someone wrote between our read and our CAS.
                        c.rollback();
                        if (expectedRv != null || attempt >= MAX_UNCONDITIONAL_RETRIES) {
                            Long now = currentRowVersion(c, kind, ns, name);
                            if (now == null) {
                                throw new SkyforgeException(ErrorCode.NOT_FOUND, describe(kind, ns, name) + " not found");
                            }
                            throw conflict(now, expectedRv == null ? Long.toString(row.rv) : expectedRv);
                        }
                        continue;
                    }
                    if (!delete && !old.metadata().labels().equals(stored.metadata().labels())) {
                        try (PreparedStatement ps = c.prepareStatement("DELETE FROM resource_labels WHERE resource_id = ?")) {
                            ps.setLong(1, row.id);
                            ps.executeUpdate();
                        }
                        insertLabels(c, row.id, stored.metadata().labels());
                    }
                    insertEvent(c, rv, delete ? WatchEvent.Type.DELETED : WatchEvent.Type.MODIFIED, kind, ns, name,
                            Instant.now(), body);
                    c.commit();
                    wake();
                    return stored;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                throw translate((delete ? "delete " : "update ") + describe(kind, ns, name), e);
            }
        }
    }

    private static SkyforgeException conflict(long stored, String yours) {
        return new SkyforgeException(ErrorCode.CONFLICT,
                "the object has been modified; re-read it and apply again (stored resourceVersion " + stored
                        + ", yours " + yours + ")");
    }

    private record Row(long id, long rv, String body) {
    }

    private static Row readRow(Connection c, ResourceKind kind, String ns, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, resource_version, body FROM resources WHERE kind = ? AND namespace = ? AND name = ?")) {
            ps.setString(1, kind.kind());
            ps.setString(2, ns);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Row(rs.getLong(1), rs.getLong(2), rs.getString(3)) : null;
            }
        }
    }

    private static Long rowId(Connection c, ResourceKind kind, String ns, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM resources WHERE kind = ? AND namespace = ? AND name = ?")) {
            ps.setString(1, kind.kind());
            ps.setString(2, ns);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static Long currentRowVersion(Connection c, ResourceKind kind, String ns, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT resource_version FROM resources WHERE kind = ? AND namespace = ? AND name = ?")) {
            ps.setString(1, kind.kind());
            ps.setString(2, ns);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /** Takes the global write lock (the counter row) until the transaction ends. */
    private static long nextResourceVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            if (st.executeUpdate("UPDATE resource_version_counter SET rv = rv + 1 WHERE id = 1") != 1) {
                throw new SkyforgeException(ErrorCode.INTERNAL, "store schema is damaged: the resourceVersion counter row is missing");
            }
        }
        return currentResourceVersion(c);
    }

    private static void ensureNamespace(Connection c, String ns) throws SQLException {
        // Under the counter lock, so check-then-insert cannot race another writer.
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM namespaces WHERE name = ?")) {
            ps.setString(1, ns);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO namespaces (name, created_at) VALUES (?, ?)")) {
            ps.setString(1, ns);
            ps.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    private static void insertLabels(Connection c, long id, Map<String, String> labels) throws SQLException {
        if (labels.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO resource_labels (resource_id, label_key, label_value) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> e : labels.entrySet()) {
                ps.setLong(1, id);
                ps.setString(2, e.getKey());
                ps.setString(3, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insertEvent(Connection c, long rv, WatchEvent.Type type, ResourceKind kind, String ns, String name,
                                    Instant at, String body) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO resource_events (resource_version, event_type, kind, namespace, name, created_at, body)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, rv);
            ps.setString(2, type.name());
            ps.setString(3, kind.kind());
            ps.setString(4, ns);
            ps.setString(5, name);
            ps.setObject(6, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            ps.setString(7, body);
            ps.executeUpdate();
        }
    }

    // ------------------------------------------------------------------ watch

    @Override
    public Watch watch(ResourceKind kind, String namespace, String fromResourceVersion, WatchListener listener) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(listener, "listener");
        ensureOpen();
        String ns = !kind.namespaced() ? "" : (namespace == null || namespace.isBlank() ? null : namespace);
        long from;
        try (Connection c = dataSource.getConnection()) {
            if (fromResourceVersion == null || fromResourceVersion.isEmpty()) {
                from = currentResourceVersion(c);
            } else {
                try {
                    from = Long.parseLong(fromResourceVersion);
                } catch (NumberFormatException e) {
                    throw new SkyforgeException(ErrorCode.VALIDATION,
                            "resourceVersion must be a number, got '" + fromResourceVersion + "'");
                }
                long compacted = compactedThrough(c);
                if (from < compacted) {
                    throw gone(from, compacted);
                }
            }
        } catch (SQLException e) {
            throw translate("start a watch on " + kind.plural(), e);
        }
        WatchImpl w = new WatchImpl(kind.kind(), ns, listener, from);
        watches.add(w);
        wake();
        return w;
    }

    private static SkyforgeException gone(long from, long compacted) {
        return new SkyforgeException(ErrorCode.GONE, "resourceVersion " + from + " is too old: events up to "
                + compacted + " have been pruned; list again and watch from the list's resourceVersion");
    }

    /** Events with a resourceVersion up to the returned one are gone. */
    private static long compactedThrough(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(resource_version) FROM resource_events");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            long min = rs.getLong(1);
            return rs.wasNull() ? currentResourceVersion(c) : min - 1;
        }
    }

    /**
     * One watch. The dispatcher only queues; delivery runs on a pool thread per busy watch, so a
     * listener that blocks (a slow SSE client) delays itself, not the other watches.
     */
    private final class WatchImpl implements Watch {
        final String kind;
        final String namespace;
        final WatchListener listener;
        /** Highest resourceVersion handed to this watch; only the dispatcher thread writes it. */
        volatile long cursor;
        /** No more events are queued: closed by its owner, failed, or the store closed. */
        volatile boolean stopped;
        private volatile boolean closedByOwner;
        private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger pending = new AtomicInteger();
        private final AtomicBoolean draining = new AtomicBoolean();

        WatchImpl(String kind, String namespace, WatchListener listener, long cursor) {
            this.kind = kind;
            this.namespace = namespace;
            this.listener = listener;
            this.cursor = cursor;
        }

        boolean accepts(String eventKind, String eventNamespace) {
            return kind.equals(eventKind) && (namespace == null || namespace.equals(eventNamespace));
        }

        void deliver(WatchEvent event) {
            if (stopped) {
                return;
            }
            if (pending.incrementAndGet() > MAX_PENDING_EVENTS) {
                // Kubernetes drops watchers that cannot keep up; buffering without bound would
                // let one stuck client exhaust the heap.
                queue.clear();
                fail(new SkyforgeException(ErrorCode.GONE, "the watch fell more than " + MAX_PENDING_EVENTS
                        + " events behind and was ended; list again and watch from the list's resourceVersion"));
                return;
            }
            queue.add(event);
            schedule();
        }

        /** Ends the watch; the listener hears the error after the events already queued. */
        void fail(SkyforgeException error) {
            if (stopped) {
                return;
            }
            stopped = true;
            watches.remove(this);
            queue.add(error);
            schedule();
        }

        private void schedule() {
            if (draining.compareAndSet(false, true)) {
                try {
                    delivery.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    // The store is closing and its pool no longer takes work: deliver the rest here.
                    drain();
                }
            }
        }

        private void drain() {
            try {
                Object item;
                while (!closedByOwner && (item = queue.poll()) != null) {
                    if (item instanceof WatchEvent event) {
                        pending.decrementAndGet();
                        try {
                            listener.onEvent(event);
                        } catch (RuntimeException e) {
                            LOG.log(System.Logger.Level.WARNING,
                                    "watch listener failed on resourceVersion " + event.resourceVersion(), e);
                        }
                    } else {
                        queue.clear();
                        try {
                            listener.onError((SkyforgeException) item);
                        } catch (RuntimeException e) {
                            LOG.log(System.Logger.Level.WARNING, "watch listener failed in onError", e);
                        }
                    }
                }
            } finally {
                draining.set(false);
                if (!closedByOwner && !queue.isEmpty()) {
                    schedule();
                }
            }
        }

        @Override
        public void close() {
            closedByOwner = true;
            stopped = true;
            watches.remove(this);
            queue.clear();
        }
    }

    private void wake() {
        synchronized (wakeLock) {
            wakePending = true;
            wakeLock.notifyAll();
        }
    }

    private void dispatchLoop() {
        long pollMillis = Math.max(1, options.pollInterval().toMillis());
        long nextPrune = System.nanoTime();
        while (!closed) {
            synchronized (wakeLock) {
                if (!wakePending) {
                    try {
                        wakeLock.wait(pollMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                wakePending = false;
            }
            if (closed) {
                return;
            }
            try {
                pump();
                if (System.nanoTime() - nextPrune >= 0) {
                    pruneEvents();
                    nextPrune = System.nanoTime() + PRUNE_EVERY.toNanos();
                }
            } catch (RuntimeException | SQLException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "watch dispatch failed; retrying on the next poll", e);
                }
            }
        }
    }

    /** Delivers every stored event after the lowest watch cursor, in resourceVersion order. */
    private void pump() throws SQLException {
        List<WatchImpl> live = new ArrayList<>(watches);
        if (live.isEmpty()) {
            return;
        }
        long from = Long.MAX_VALUE;
        for (WatchImpl w : live) {
            from = Math.min(from, w.cursor);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT resource_version, event_type, kind, namespace, name, body FROM resource_events"
                             + " WHERE resource_version > ? ORDER BY resource_version LIMIT " + EVENT_BATCH)) {
            boolean first = true;
            while (true) {
                ps.setLong(1, from);
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        n++;
                        long rv = rs.getLong(1);
                        if (first) {
                            first = false;
                            // Versions have no gaps, so a hole before the first row means pruned events.
                            for (WatchImpl w : live) {
                                if (w.cursor < rv - 1) {
                                    w.fail(gone(w.cursor, rv - 1));
                                }
                            }
                        }
                        String kind = rs.getString(3);
                        String ns = rs.getString(4);
                        WatchEvent event = null;
                        for (WatchImpl w : live) {
                            if (w.stopped || w.cursor >= rv) {
                                continue;
                            }
                            if (w.accepts(kind, ns)) {
                                if (event == null) {
                                    event = new WatchEvent(WatchEvent.Type.valueOf(rs.getString(2)), parse(rs.getString(6)), rv);
                                }
                                w.deliver(event);
                            }
                            w.cursor = rv;
                        }
                        from = rv;
                    }
                }
                if (n < EVENT_BATCH) {
                    return;
                }
            }
        }
    }

    /**
     * Drops events beyond the newest {@code retainedEvents}, but never one a watch of this process
     * still has to deliver. Runs on the dispatcher every few seconds; package-private for tests.
     */
    void pruneEvents() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long upTo = currentResourceVersion(c) - options.retainedEvents();
            for (WatchImpl w : watches) {
                upTo = Math.min(upTo, w.cursor);
            }
            if (upTo <= 0) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM resource_events WHERE resource_version <= ?")) {
                ps.setLong(1, upTo);
                ps.executeUpdate();
            }
        }
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wake();
        try {
            dispatcher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SkyforgeException ended = new SkyforgeException(ErrorCode.UNAVAILABLE, "the resource store was closed");
        for (WatchImpl w : List.copyOf(watches)) {
            w.fail(ended);
        }
        // Queued events and the errors above still reach their listeners; nothing new is accepted.
        delivery.shutdown();
        if (ownedPool != null) {
            try {
                ownedPool.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing the store's connection pool failed", e);
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new SkyforgeException(ErrorCode.UNAVAILABLE, "the resource store is closed");
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String namespaceKey(ResourceKind kind, String namespace) {
        Objects.requireNonNull(kind, "kind");
        if (!kind.namespaced()) {
            return "";
        }
        if (namespace == null || namespace.isBlank()) {
            throw new SkyforgeException(ErrorCode.VALIDATION,
                    kind.kind() + " is namespaced: a namespace is required (e.g. '" + Kinds.DEFAULT_NAMESPACE + "')");
        }
        return namespace;
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "metadata.name is required");
        }
        if (name.length() > 253) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "metadata.name must be at most 253 characters");
        }
        return name;
    }

    private static void checkLabels(Map<String, String> labels) {
        List<String> problems = new ArrayList<>();
        labels.forEach((k, v) -> {
            String p = LabelSelector.keyProblem(k);
            if (p != null) {
                problems.add("metadata.labels: key '" + k + "': " + p);
            }
            p = LabelSelector.valueProblem(v);
            if (p != null) {
                problems.add("metadata.labels." + k + ": " + p);
            }
        });
        if (!problems.isEmpty()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, String.join("; ", problems));
        }
    }

    private static String describe(ResourceKind kind, String ns, String name) {
        return kind.kind() + " " + (ns.isEmpty() ? "" : ns + "/") + name;
    }

    private static String serialize(Resource r) {
        String body = Json.MAPPER.writeValueAsString(ResourceJson.write(r));
        if (body.length() > MAX_BODY_CHARS) {
            throw new SkyforgeException(ErrorCode.TOO_LARGE, r.ref() + " is " + body.length()
                    + " characters as JSON; the store keeps at most " + MAX_BODY_CHARS);
        }
        return body;
    }

    private static String labelsJson(Resource r) {
        String json = Json.MAPPER.writeValueAsString(r.metadata().labels());
        if (json.length() > MAX_LABELS_CHARS) {
            throw new SkyforgeException(ErrorCode.TOO_LARGE, r.ref() + " has " + json.length()
                    + " characters of labels as JSON; the store keeps at most " + MAX_LABELS_CHARS);
        }
        return json;
    }

    private static Resource parse(String body) {
        return ResourceJson.read(Json.MAPPER.readTree(body));
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
    }

    private static String encodeToken(String ns, String name) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("1\n" + ns + "\n" + name).getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decodeToken(String token) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = s.split("\n", -1);
            if (parts.length == 3 && parts[0].equals("1")) {
                return new String[] {parts[1], parts[2]};
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new SkyforgeException(ErrorCode.VALIDATION,
                "invalid continue token: pass the 'continue' value of the previous page unchanged");
    }

    private static SkyforgeException translate(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        ErrorCode code;
        if (state.equals("23505")) {
            code = ErrorCode.ALREADY_EXISTS;
        } else if (state.startsWith("08") || state.equals("40001") || state.equals("40P01") || state.equals("HYT00")
                || e instanceof SQLTransientException) {
            code = ErrorCode.UNAVAILABLE;
        } else {
            code = ErrorCode.INTERNAL;
        }
        return new SkyforgeException(code, "store: cannot " + what + ": " + e.getMessage(), e);
    }

    private static String redact(String url) {
        int q = url.indexOf('?');
        int semi = url.startsWith("jdbc:h2:") ? url.indexOf(';') : -1;
        int cut = q >= 0 ? q : semi;
        return cut >= 0 ? url.substring(0, cut) : url;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
