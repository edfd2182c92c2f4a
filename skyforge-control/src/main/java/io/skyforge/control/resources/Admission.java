package io.skyforge.control.resources;

import io.skyforge.core.codec.Json;
import io.skyforge.core.model.Condition;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.model.ResourceKind;
import io.skyforge.core.secret.EnvReferences;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The status a resource starts with, and what a spec change does to it. A new resource is
 * {@code Accepted}; a Cloud whose {@code ${VAR}} references the server cannot resolve is
 * {@code Ready=False} with reason {@code MissingVariable} naming them, so the problem shows in
 * {@code skyforge get clouds} without the secret ever crossing the API. Controllers own
 * every other condition.
 */
public final class Admission {

    private final EnvReferences env;
    private final Clock clock;
    private final List<java.util.function.Consumer<Resource>> checks = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Admission(EnvReferences env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    /**
     * Adds a check that every created or replaced resource must pass before it is stored (the
     * LogicalBucket residency rule); it throws a {@code SkyforgeException} to refuse.
     */
    public Admission withCheck(java.util.function.Consumer<Resource> check) {
        checks.add(java.util.Objects.requireNonNull(check, "check"));
        return this;
    }

    /** Runs the added checks on a resource about to be stored. */
    public void check(Resource r) {
        for (java.util.function.Consumer<Resource> c : checks) {
            c.accept(r);
        }
    }

    public ObjectNode initialStatus(ResourceKind kind, Resource r) {
        ObjectNode status = Json.MAPPER.createObjectNode();
        if (kind.equals(Kinds.DATA_JOB)) {
            status.put("phase", "Pending");
        }
        ArrayNode conditions = status.putArray("conditions");
        conditions.add(condition(Condition.of("Accepted", true, "Validated", "the spec is valid", 1, now())));
        missingVariables(kind, r).ifPresent(c -> conditions.add(condition(c)));
        return status;
    }

    /** A status with the reference check redone after a spec change, or null when nothing changes. */
    public ObjectNode statusAfterSpecChange(ResourceKind kind, Resource stored) {
        if (!kind.equals(Kinds.CLOUD)) {
            return null;
        }
        ObjectNode status = stored.status().deepCopy();
        ArrayNode kept = Json.MAPPER.createArrayNode();
        for (JsonNode c : status.path("conditions")) {
            boolean stale = "Ready".equals(c.path("type").asString()) && "MissingVariable".equals(c.path("reason").asString());
            if (!stale) {
                kept.add(c);
            }
        }
        missingVariables(kind, stored).ifPresent(c -> kept.add(condition(c)));
        status.set("conditions", kept);
        return status;
    }

    private java.util.Optional<Condition> missingVariables(ResourceKind kind, Resource r) {
        if (!kind.equals(Kinds.CLOUD)) {
            return java.util.Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        for (var e : r.spec().properties()) {
            if (e.getValue().isString()) {
                for (String name : env.missing(e.getValue().asString())) {
                    problems.add("environment variable " + name + " is not set on the server (spec." + e.getKey() + ")");
                }
            }
        }
        if (problems.isEmpty()) {
            return java.util.Optional.empty();
        }
        long generation = r.metadata().generation() == null ? 1 : r.metadata().generation();
        return java.util.Optional.of(Condition.of("Ready", false, "MissingVariable", String.join("; ", problems),
                generation, now()));
    }

    /** Whole seconds, as Kubernetes writes condition times. */
    private java.time.Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    private static ObjectNode condition(Condition c) {
        return Json.MAPPER.valueToTree(c);
    }
}
