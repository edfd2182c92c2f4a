package io.skyforge.control.placement;

import io.skyforge.core.model.CloudSpec;
import io.skyforge.core.model.ClusterMember;
import io.skyforge.core.model.DataJobSpec;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.LogicalBucketSpec;
import io.skyforge.core.model.LogicalClusterSpec;
import io.skyforge.core.model.PlacementSpec;
import io.skyforge.core.model.Resource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Builds placement inputs from stored resources, so the DataJob controller only fetches them. Pure:
 * the controller decides the partition count and the estimates; this class only reads fields.
 *
 * <p>Residency rule (docs/placement.md): every source below applies, and a cloud must satisfy all.
 * <ul>
 *   <li>the Dataset's label {@value #RESIDENCY_LABEL} (comma-separated jurisdictions);</li>
 *   <li>the output LogicalBucket's {@code spec.residency.allowed}, and its own {@value #RESIDENCY_LABEL} label;</li>
 *   <li>a Dataset labelled {@code classification: pii} with none of the above stays in the
 *       jurisdictions of the output bucket's copies, and goes nowhere if those are unknown.</li>
 * </ul>
 */
public final class PlacementInputs {

    public static final String JURISDICTION_LABEL = "jurisdiction";
    public static final String REGION_LABEL = "region";
    public static final String RESIDENCY_LABEL = "residency.skyforge.io/allowed";
    public static final String CLASSIFICATION_LABEL = "classification";

    private PlacementInputs() {
    }

    /**
     * The Cloud condition that says whether a {@code compute.type: worker} cloud has live worker
     * processes (written by the control plane from the workers' claims and heartbeats).
     */
    public static final String WORKERS_CONDITION = "Workers";

    /** A Cloud resource as a candidate, with the tasks running on it now (all jobs). */
    public static CloudCandidate cloud(Resource cloud, int runningTasks) {
        CloudSpec spec = Kinds.spec(cloud, CloudSpec.class);
        Map<String, String> labels = cloud.metadata().labels();
        JsonNode ready = null;
        String noWorkers = null;
        for (JsonNode c : cloud.status().path("conditions")) {
            if ("Ready".equals(c.path("type").asString())) {
                ready = c;
            }
            // Only a verdict of False counts: no condition yet means nobody has had time to judge.
            if (WORKERS_CONDITION.equals(c.path("type").asString()) && "False".equals(c.path("status").asString())
                    && spec.compute() != null && "worker".equals(spec.compute().type())) {
                noWorkers = c.path("message").asString("no live workers");
            }
        }
        boolean isReady = ready != null && "True".equals(ready.path("status").asString());
        String reason = null;
        if (ready != null) {
            String r = ready.path("reason").asString("");
            String m = ready.path("message").asString("");
            reason = r.isEmpty() ? m : m.isEmpty() ? r : r + " (" + m + ")";
        }
        String region = labels.getOrDefault(REGION_LABEL, spec.region());
        String computeType = spec.compute() == null ? null : spec.compute().type();
        int slots = spec.compute() == null || spec.compute().slots() == null ? 0 : spec.compute().slots();
        if (spec.compute() != null && spec.compute().slots() == null) {
            // A compute backend without a slot count runs one task at a time rather than none.
            slots = 1;
        }
        double egress = spec.pricing() == null || spec.pricing().egressGb() == null ? 0 : spec.pricing().egressGb();
        String currency = spec.pricing() == null ? null : spec.pricing().currency();
        return new CloudCandidate(cloud.name(), isReady, reason, labels.get(JURISDICTION_LABEL), region, labels,
                computeType, slots, runningTasks, PriceSchedule.of(spec.pricing()), egress, currency, noWorkers);
    }

    /**
     * Every residency rule from the dataset and the output bucket (either may be null).
     *
     * @param clouds the snapshot, for the jurisdictions of the bucket's copies
     */
    public static List<ResidencyConstraint> residency(Resource dataset, Resource bucket, List<CloudCandidate> clouds) {
        List<ResidencyConstraint> out = new ArrayList<>();
        if (dataset != null && dataset.metadata().labels().containsKey(RESIDENCY_LABEL)) {
            String v = dataset.metadata().labels().get(RESIDENCY_LABEL);
            out.add(new ResidencyConstraint(dataset.ref() + " label " + RESIDENCY_LABEL + "=" + v, csv(v)));
        }
        if (bucket != null) {
            LogicalBucketSpec spec = Kinds.spec(bucket, LogicalBucketSpec.class);
            if (spec.residency() != null && !spec.residency().allowed().isEmpty()) {
                out.add(new ResidencyConstraint(bucket.ref() + " spec.residency.allowed=" + String.join(",",
                        spec.residency().allowed()), spec.residency().allowed()));
            }
            if (bucket.metadata().labels().containsKey(RESIDENCY_LABEL)) {
                String v = bucket.metadata().labels().get(RESIDENCY_LABEL);
                out.add(new ResidencyConstraint(bucket.ref() + " label " + RESIDENCY_LABEL + "=" + v, csv(v)));
            }
        }
        boolean pii = dataset != null && "pii".equalsIgnoreCase(dataset.metadata().labels().get(CLASSIFICATION_LABEL));
        if (pii && out.isEmpty()) {
            TreeSet<String> where = new TreeSet<>();
            List<String> copies = bucket == null ? List.of() : copies(bucket);
            for (CloudCandidate c : clouds) {
                if (copies.contains(c.name()) && c.jurisdiction() != null) {
                    where.add(c.jurisdiction());
                }
            }
            out.add(new ResidencyConstraint(dataset.ref() + " label " + CLASSIFICATION_LABEL
                    + "=pii with no explicit rule: stays in the jurisdictions of the output bucket's copies"
                    + (bucket == null ? " (no output bucket)" : " (" + String.join(", ", copies) + ")"),
                    List.copyOf(where)));
        }
        return out;
    }

    /** The clouds holding a copy of a LogicalBucket, in its providers' order. */
    public static List<String> copies(Resource bucket) {
        LogicalBucketSpec spec = Kinds.spec(bucket, LogicalBucketSpec.class);
        return spec.providers() == null ? List.of() : spec.providers().stream().map(p -> p.cloud()).distinct().toList();
    }

    /**
     * The request for a DataJob.
     *
     * @param dataset              the generated Dataset, or null for a container job
     * @param bucket               the output LogicalBucket, or null when the job has no output bucket
     * @param cluster              the LogicalCluster named by {@code spec.cluster}, or null
     * @param clouds               the snapshot the request will be placed against
     * @param partitions           the partitions the controller planned
     * @param cpuHoursPerPartition the controller's estimate of one partition's CPU time
     * @param outputBytes          the controller's estimate of the job's output size
     */
    public static PlacementRequest request(Resource job, Resource dataset, Resource bucket, Resource cluster,
                                           List<CloudCandidate> clouds, int partitions, double cpuHoursPerPartition,
                                           long outputBytes) {
        DataJobSpec spec = Kinds.spec(job, DataJobSpec.class);
        PlacementSpec placement = spec.placement();
        Map<String, Integer> members = new LinkedHashMap<>();
        if (cluster != null) {
            for (ClusterMember m : Kinds.spec(cluster, LogicalClusterSpec.class).members()) {
                members.put(m.cloud(), m.slots());
            }
        }
        PlacementRequest.Builder b = PlacementRequest.builder(job.namespace() == null ? job.name() : job.namespace() + "/" + job.name())
                .kind(spec.image() != null && !spec.image().isBlank() ? JobKind.CONTAINER : JobKind.GENERATE)
                .priority(Priority.parse(spec.priority()))
                .policy(Policy.parse(placement == null ? null : placement.policy()))
                .weights(placement == null ? null : placement.weights())
                .allowSplit(placement != null && Boolean.TRUE.equals(placement.allowSplit()))
                .pinnedCloud(spec.cloud())
                .cluster(cluster == null ? spec.cluster() : cluster.name(), members)
                .partitions(partitions)
                .cpuHoursPerPartition(cpuHoursPerPartition)
                .outputBytes(outputBytes)
                .outputCopies(bucket == null ? List.of() : copies(bucket))
                .preferredRegion(placement == null ? null : placement.region());
        residency(dataset, bucket, clouds).forEach(b::residency);
        return b.build();
    }

    private static List<String> csv(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
