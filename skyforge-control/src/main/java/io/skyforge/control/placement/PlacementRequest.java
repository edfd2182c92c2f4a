package io.skyforge.control.placement;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What placement needs to know about one DataJob. {@link PlacementInputs#request} builds it from the
 * job, dataset, bucket and cluster resources; tests and benchmarks use {@link #builder}.
 *
 * @param weights              user weights; only with {@link Policy#CUSTOM}
 * @param pinnedCloud          {@code spec.cloud}, or null
 * @param cluster              {@code spec.cluster}, or null
 * @param clusterMembers       member cloud → slot cap (null = no cap); empty when no cluster is named
 * @param cpuHoursPerPartition estimated CPU-hours one partition takes
 * @param outputBytes          estimated bytes the whole job writes
 * @param outputCopies         clouds holding a copy of the output bucket (its providers)
 * @param preferredRegion      {@code spec.placement.region}, or null
 * @param residency            every residency rule that applies; empty when the data may go anywhere
 */
public record PlacementRequest(
        String job,
        JobKind kind,
        Priority priority,
        Policy policy,
        Map<String, Double> weights,
        boolean allowSplit,
        String pinnedCloud,
        String cluster,
        Map<String, Integer> clusterMembers,
        int partitions,
        double cpuHoursPerPartition,
        long outputBytes,
        List<String> outputCopies,
        String preferredRegion,
        List<ResidencyConstraint> residency) {

    public static final int MAX_PARTITIONS = 10_000;

    public PlacementRequest {
        Objects.requireNonNull(job, "job");
        kind = kind == null ? JobKind.GENERATE : kind;
        priority = priority == null ? Priority.CRITICAL : priority;
        policy = policy == null ? Policy.BALANCED : policy;
        weights = weights == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(weights));
        // Insertion order kept: it is the order the LogicalCluster lists its members in, shown as such.
        clusterMembers = clusterMembers == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clusterMembers));
        outputCopies = outputCopies == null ? List.of() : List.copyOf(outputCopies);
        residency = residency == null ? List.of() : List.copyOf(residency);
        pinnedCloud = blankToNull(pinnedCloud);
        cluster = blankToNull(cluster);
        preferredRegion = blankToNull(preferredRegion);
        List<String> problems = new ArrayList<>();
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            problems.add("partitions must be 1.." + MAX_PARTITIONS + ", was " + partitions);
        }
        if (!(cpuHoursPerPartition >= 0) || Double.isInfinite(cpuHoursPerPartition)) {
            problems.add("cpuHoursPerPartition must be a finite number >= 0, was " + cpuHoursPerPartition);
        }
        if (outputBytes < 0) {
            problems.add("outputBytes must be >= 0, was " + outputBytes);
        }
        if (cluster != null && clusterMembers.isEmpty()) {
            problems.add("LogicalCluster " + cluster + " has no members");
        }
        if (!problems.isEmpty()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "placement request for " + job + ": " + String.join("; ", problems));
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    public static Builder builder(String job) {
        return new Builder(job);
    }

    /** A mutable builder; defaults: generate job, critical, balanced, no split, one partition, nothing pinned. */
    public static final class Builder {
        private final String job;
        private JobKind kind = JobKind.GENERATE;
        private Priority priority = Priority.CRITICAL;
        private Policy policy = Policy.BALANCED;
        private Map<String, Double> weights = Map.of();
        private boolean allowSplit;
        private String pinnedCloud;
        private String cluster;
        private Map<String, Integer> clusterMembers = Map.of();
        private int partitions = 1;
        private double cpuHoursPerPartition;
        private long outputBytes;
        private List<String> outputCopies = List.of();
        private String preferredRegion;
        private final List<ResidencyConstraint> residency = new ArrayList<>();

        private Builder(String job) {
            this.job = job;
        }

        public Builder kind(JobKind v) {
            kind = v;
            return this;
        }

        public Builder priority(Priority v) {
            priority = v;
            return this;
        }

        public Builder policy(Policy v) {
            policy = v;
            return this;
        }

        public Builder weights(Map<String, Double> v) {
            weights = v;
            return this;
        }

        public Builder allowSplit(boolean v) {
            allowSplit = v;
            return this;
        }

        public Builder pinnedCloud(String v) {
            pinnedCloud = v;
            return this;
        }

        /** A LogicalCluster by name with its members (cloud → slot cap, null value = no cap). */
        public Builder cluster(String name, Map<String, Integer> members) {
            cluster = name;
            clusterMembers = members;
            return this;
        }

        public Builder partitions(int v) {
            partitions = v;
            return this;
        }

        public Builder cpuHoursPerPartition(double v) {
            cpuHoursPerPartition = v;
            return this;
        }

        public Builder outputBytes(long v) {
            outputBytes = v;
            return this;
        }

        public Builder outputCopies(List<String> v) {
            outputCopies = v;
            return this;
        }

        public Builder preferredRegion(String v) {
            preferredRegion = v;
            return this;
        }

        public Builder residency(ResidencyConstraint v) {
            residency.add(v);
            return this;
        }

        public PlacementRequest build() {
            return new PlacementRequest(job, kind, priority, policy, weights, allowSplit, pinnedCloud, cluster,
                    clusterMembers, partitions, cpuHoursPerPartition, outputBytes, outputCopies, preferredRegion, residency);
        }
    }
}
