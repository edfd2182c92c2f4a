package io.skyforge.control.cloud;

import io.skyforge.core.model.CloudSpec;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.secret.EnvReferences;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.spi.storage.ObjectStores;
import io.skyforge.spi.storage.StoreHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The live {@link ObjectStore} of every {@code Cloud}, built from its unsealed spec with the
 * {@code ${VAR}} references resolved at build time. A cloud whose spec cannot be turned into a store
 * (a missing variable, an invalid config) stays registered with the reason, so it shows as not
 * Ready instead of disappearing. This is what the data API and the sync engine ask for a cloud's store.
 */
public final class CloudRegistry implements AutoCloseable {

    /** The label naming a cloud's jurisdiction, matched against {@code spec.residency.allowed} of buckets. */
    public static final String JURISDICTION_LABEL = "jurisdiction";

    private final EnvReferences env;
    private final Function<ObjectStoreConfig, ObjectStore> opener;
    /** Where {@code env} comes from, as messages about an unset variable say it ("on the server"). */
    private final String environment;
    private final Map<String, CloudState> clouds = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> secrets = new ConcurrentHashMap<>();

    public CloudRegistry(EnvReferences env) {
        this(env, ObjectStores::open);
    }

    public CloudRegistry(EnvReferences env, Function<ObjectStoreConfig, ObjectStore> opener) {
        this(env, opener, "on the server");
    }

    /** @param environment where the variables are read, for messages: "on the server", "in this worker's environment" */
    public CloudRegistry(EnvReferences env, Function<ObjectStoreConfig, ObjectStore> opener, String environment) {
        this.env = Objects.requireNonNull(env, "env");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /**
     * Builds (or rebuilds, when the generation changed) the store of a cloud.
     *
     * @param unsealed the stored Cloud with its secrets decrypted; never keep or log it elsewhere
     * @return the new state
     */
    public CloudState configure(Resource unsealed) {
        String name = unsealed.name();
        long generation = unsealed.metadata().generation() == null ? 0 : unsealed.metadata().generation();
        String jurisdiction = unsealed.metadata().labels().get(JURISDICTION_LABEL);
        CloudState previous = clouds.get(name);
        if (previous != null && previous.generation() == generation && generation != 0) {
            CloudState relabelled = previous.withJurisdiction(jurisdiction);
            clouds.put(name, relabelled);
            return relabelled;
        }
        CloudState next;
        try {
            ObjectStoreConfig config = config(unsealed);
            secrets.put(name, secretsOf(config));
            next = new CloudState(name, generation, jurisdiction, config.type(), opener.apply(config), null, null);
        } catch (SkyforgeException e) {
            next = new CloudState(name, generation, jurisdiction, typeOf(unsealed), null, e, null);
        } catch (RuntimeException e) {
            next = new CloudState(name, generation, jurisdiction, typeOf(unsealed), null,
                    new SkyforgeException(ErrorCode.VALIDATION, "cannot build the " + typeOf(unsealed) + " store: "
                            + e.getClass().getSimpleName(), e), null);
        }
        CloudState old = clouds.put(name, next);
        if (old != null && old.store() != null) {
            old.store().close();
        }
        return next;
    }

    /** Forgets a deleted cloud and closes its store. */
    public void remove(String name) {
        CloudState old = clouds.remove(name);
        secrets.remove(name);
        if (old != null && old.store() != null) {
            old.store().close();
        }
    }

    public Optional<CloudState> state(String name) {
        return Optional.ofNullable(clouds.get(name));
    }

    public Set<String> names() {
        return new TreeSet<>(clouds.keySet());
    }

    /**
     * The store of a cloud, whatever its last probe said (the caller decides whether to use an
     * unhealthy one). Fails with {@code SF-NOT-FOUND} for an unknown cloud, or with the reason its
     * store could not be built ({@code SF-MISSING-VARIABLE}, {@code SF-VALIDATION}).
     */
    public ObjectStore store(String cloud) {
        CloudState s = clouds.get(cloud);
        if (s == null) {
            throw new SkyforgeException(ErrorCode.NOT_FOUND, "Cloud " + cloud + " not found");
        }
        if (s.store() == null) {
            throw new SkyforgeException(s.configError().code(), "Cloud " + cloud + " has no usable store: "
                    + s.configError().getMessage());
        }
        return s.store();
    }

    /** {@code text} with any credential of {@code cloud} replaced by {@code ******}. */
    public String scrub(String cloud, String text) {
        String out = text == null ? "" : text;
        for (String s : secrets.getOrDefault(cloud, Set.of())) {
            out = out.replace(s, "******");
        }
        return out;
    }

    /** Records a probe result; ignored when the cloud was removed or rebuilt meanwhile. */
    public void recordHealth(String name, ObjectStore probed, StoreHealth health) {
        clouds.computeIfPresent(name, (n, s) -> s.store() == probed ? s.withHealth(health) : s);
    }

    @Override
    public void close() {
        for (String n : names()) {
            remove(n);
        }
    }

    private ObjectStoreConfig config(Resource r) {
        CloudSpec spec = Kinds.spec(r, CloudSpec.class);
        String where = "Cloud " + r.name() + " spec.";
        List<String> problems = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        String[][] fields = {{"endpoint", spec.endpoint()}, {"region", spec.region()}, {"accessKey", spec.accessKey()},
                {"secretKey", spec.secretKey()}, {"accountName", spec.accountName()}, {"accountKey", spec.accountKey()},
                {"root", spec.root()}};
        for (String[] f : fields) {
            for (String var : env.missing(f[1])) {
                // Worded as Admission words it at apply time, so the condition reads the same before and after the first probe.
                problems.add("environment variable " + var + " is not set " + environment + " (spec." + f[0] + ")");
                violations.add(Violation.at("spec." + f[0], "environment variable " + var + " is not set " + environment));
            }
        }
        if (!problems.isEmpty()) {
            throw new SkyforgeException(ErrorCode.MISSING_VARIABLE, String.join("; ", problems), violations);
        }
        ObjectStoreConfig.Builder builder = ObjectStoreConfig.builder(spec.type())
                .name(r.name())
                .endpoint(env.resolve(spec.endpoint(), where + "endpoint"))
                .region(env.resolve(spec.region(), where + "region"))
                .accessKey(env.resolve(spec.accessKey(), where + "accessKey"))
                .secretKey(env.resolve(spec.secretKey(), where + "secretKey"))
                .accountName(env.resolve(spec.accountName(), where + "accountName"))
                .accountKey(env.resolve(spec.accountKey(), where + "accountKey"))
                .root(env.resolve(spec.root(), where + "root"))
                .pathStyle(spec.pathStyle());
        if (spec.options() != null) {
            spec.options().forEach((k, v) -> builder.option(k, env.resolve(v, where + "options." + k)));
        }
        ObjectStoreConfig config = builder.build();
        config.requireValid(ObjectStores.validate(config));
        return config;
    }

    private static String typeOf(Resource r) {
        return r.spec().path("type").asString("unknown");
    }

    /** The values a message must never show: a backend error could echo a credential back. */
    private static Set<String> secretsOf(ObjectStoreConfig c) {
        Set<String> s = new java.util.HashSet<>();
        for (String v : new String[] {c.accessKey(), c.secretKey(), c.accountKey()}) {
            // Very short values would blank out ordinary words; real credentials are long.
            if (v != null && v.length() >= 6) {
                s.add(v);
            }
        }
        return Set.copyOf(s);
    }

    /**
     * What the registry knows about one cloud.
     *
     * @param store       null when the spec could not be turned into a store ({@code configError} says why)
     * @param health      the last probe, or null before the first one
     */
    public record CloudState(String name, long generation, String jurisdiction, String type, ObjectStore store,
                             SkyforgeException configError, StoreHealth health) {

        public CloudState {
            Objects.requireNonNull(name, "name");
        }

        /** Usable for traffic: built, and its last probe succeeded. */
        public boolean healthy() {
            return store != null && health != null && health.up();
        }

        /** Probe latency in nanoseconds, or {@code Long.MAX_VALUE} when unknown or down (sorts last). */
        public long latencyNanos() {
            return healthy() ? health.latency().toNanos() : Long.MAX_VALUE;
        }

        CloudState withHealth(StoreHealth h) {
            return new CloudState(name, generation, jurisdiction, type, store, configError, h);
        }

        CloudState withJurisdiction(String j) {
            return new CloudState(name, generation, j, type, store, configError, health);
        }

        @Override
        public String toString() {
            return "CloudState[" + name + " " + type + " generation=" + generation + " healthy=" + healthy() + "]";
        }
    }
}
