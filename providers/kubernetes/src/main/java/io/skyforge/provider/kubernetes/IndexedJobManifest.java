package io.skyforge.provider.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.skyforge.core.model.DataJobSpec;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.OutputSpec;
import io.skyforge.core.model.Resource;
import io.skyforge.core.model.ResourceRequirements;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds the one Indexed Job that runs a DataJob's partitions on one cloud. Pure: the same request
 * and settings give the same manifest (the golden file test holds it to that), so a re-dispatch
 * asks Kubernetes for exactly the Job it already has.
 *
 * <p>A generate job's pods run {@code skyforge worker} for their partition; a container job's pods
 * run the user's image with the partition's coordinates in their environment. Either way the
 * pods get the control plane's URL and an API token, the token only as a reference to a
 * Kubernetes Secret.
 */
public final class IndexedJobManifest {

    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "skyforge";
    public static final String JOB_NAMESPACE_LABEL = "skyforge.io/job-namespace";
    public static final String JOB_NAME_LABEL = "skyforge.io/job-name";
    public static final String JOB_UID_LABEL = "skyforge.io/job-uid";
    public static final String CLOUD_LABEL = "skyforge.io/cloud";
    public static final String ROUND_LABEL = "skyforge.io/round";
    public static final String JOB_ANNOTATION = "skyforge.io/job";
    /** The task indexes the Job runs, compressed ("0-11"): completion index i runs the i-th. */
    public static final String TASKS_ANNOTATION = "skyforge.io/task-indexes";
    public static final String TOTAL_TASKS_ANNOTATION = "skyforge.io/tasks";
    public static final String GENERATION_ANNOTATION = "skyforge.io/job-generation";

    /** Retries per partition when the DataJob does not say: the same default as the in-process workers. */
    public static final int DEFAULT_BACKOFF_LIMIT = 3;
    static final String WORKER_CONTAINER = "worker";
    static final String JOB_CONTAINER = "job";

    // Kubernetes' quantity grammar: a decimal number, then a binary or decimal suffix or an exponent.
    private static final Pattern QUANTITY = Pattern.compile(
            "\\+?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][-+]?[0-9]+)?");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private IndexedJobManifest() {
    }

    /** @throws SkyforgeException SF-VALIDATION when the job's resources or the cloud's image cannot make a Job */
    public static Job build(IndexedJobRequest request, KubernetesSettings settings) {
        Resource job = request.dataJob();
        DataJobSpec spec = Kinds.spec(job, DataJobSpec.class);
        boolean container = spec.image() != null && !spec.image().isBlank();
        String name = JobNames.jobName(job.namespace(), job.name(), request.cloud(), request.round());
        TaskIndexes tasks = request.tasks();

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        labels.put(JOB_NAMESPACE_LABEL, job.namespace());
        labels.put(JOB_NAME_LABEL, job.name());
        labels.put(JOB_UID_LABEL, job.metadata().uid());
        labels.put(CLOUD_LABEL, request.cloud());
        labels.put(ROUND_LABEL, Integer.toString(request.round()));
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(JOB_ANNOTATION, job.namespace() + "/" + job.name());
        annotations.put(TASKS_ANNOTATION, tasks.compressed());
        annotations.put(TOTAL_TASKS_ANNOTATION, Integer.toString(request.totalTasks()));
        if (job.metadata().generation() != null) {
            annotations.put(GENERATION_ANNOTATION, Long.toString(job.metadata().generation()));
        }

        Container main = container
                ? containerJob(request, spec, settings)
                : generateJob(request, settings);
        List<LocalObjectReference> pullSecrets = settings.imagePullSecrets().stream().map(LocalObjectReference::new).toList();
        int parallelism = Math.min(tasks.count(), Math.max(1, settings.slots()));
        return new JobBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(settings.namespace())
                    .withLabels(labels)
                    .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                    .withCompletionMode("Indexed")
                    .withCompletions(tasks.count())
                    .withParallelism(parallelism)
                    // Retries per partition, not per Job: one partition failing again and again must not use up the
                    // retries of the others (a Job-wide backoffLimit would; Kubernetes leaves it unlimited here).
                    .withBackoffLimitPerIndex(spec.backoffLimit() == null ? DEFAULT_BACKOFF_LIMIT : spec.backoffLimit())
                    // A partition out of retries fails the DataJob whatever the others do, so the Job stops at once
                    // rather than run the remaining indexes for nothing.
                    .withMaxFailedIndexes(0)
                    // A pod evicted or preempted (it hands its task back on SIGTERM) did not fail: no retry used up.
                    .withNewPodFailurePolicy()
                        .addNewRule()
                            .withAction("Ignore")
                            .addNewOnPodCondition().withType("DisruptionTarget").withStatus("True").endOnPodCondition()
                        .endRule()
                    .endPodFailurePolicy()
                    .withTtlSecondsAfterFinished(settings.ttlSecondsAfterFinished())
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(labels)
                            .withAnnotations(Map.of(JOB_ANNOTATION, job.namespace() + "/" + job.name()))
                        .endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .withServiceAccountName(settings.serviceAccount())
                            .withImagePullSecrets(pullSecrets.isEmpty() ? null : pullSecrets)
                            .withContainers(withResources(main, spec.resources()))
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /** The manifest as YAML, in the field order fabric8 defines (what the golden files hold). */
    public static String toYaml(Job job) {
        return SERIALIZATION.asYaml(job);
    }

    private static Container generateJob(IndexedJobRequest request, KubernetesSettings settings) {
        if (settings.image() == null) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "Cloud " + request.cloud() + " cannot run generate jobs:"
                    + " spec.compute.image is not set (the image that runs 'skyforge worker')",
                    List.of(Violation.at("spec.compute.image", "is required to run generate jobs on kubernetes")));
        }
        Resource job = request.dataJob();
        String ref = job.namespace() + "/" + job.name();
        List<EnvVar> env = new ArrayList<>(connection(settings));
        List<String> command;
        if (request.tasks().isIdentity()) {
            // $(VAR) is expanded by the kubelet from the container's environment; JOB_COMPLETION_INDEX
            // is put there by the Job controller.
            command = List.of("skyforge", "worker", "--server", "$(SKYFORGE_SERVER)", "--cloud", request.cloud(),
                    "--job", ref, "--index", "$(JOB_COMPLETION_INDEX)");
        } else {
            // Completion indexes run 0..n-1 on every Job, the tasks of a split or re-dispatched job do not;
            // the kubelet cannot look up, so a shell picks the task of this completion index.
            env.add(plain("SKYFORGE_CLOUD", request.cloud()));
            env.add(plain("SKYFORGE_JOB", ref));
            env.add(plain("SKYFORGE_TASK_INDEXES", request.tasks().spaced()));
            command = List.of("/bin/sh", "-c", "set -- $SKYFORGE_TASK_INDEXES; shift \"$JOB_COMPLETION_INDEX\";"
                    + " exec skyforge worker --server \"$SKYFORGE_SERVER\" --cloud \"$SKYFORGE_CLOUD\""
                    + " --job \"$SKYFORGE_JOB\" --index \"$1\"");
        }
        return new ContainerBuilder()
                .withName(WORKER_CONTAINER)
                .withImage(settings.image())
                .withCommand(command)
                .withEnv(env)
                .build();
    }

    private static Container containerJob(IndexedJobRequest request, DataJobSpec spec, KubernetesSettings settings) {
        Resource job = request.dataJob();
        List<EnvVar> env = new ArrayList<>(connection(settings));
        env.add(plain("SKYFORGE_JOB", job.namespace() + "/" + job.name()));
        env.add(plain("SKYFORGE_CLOUD", request.cloud()));
        env.add(plain("SKYFORGE_PARTITIONS", Integer.toString(request.totalTasks())));
        // This pod's partition is word JOB_COMPLETION_INDEX (from 0) of this list: JOB_COMPLETION_INDEX
        // itself when the whole job runs on one cloud.
        env.add(plain("SKYFORGE_TASK_INDEXES", request.tasks().spaced()));
        OutputSpec out = spec.output();
        if (out != null) {
            String prefix = out.prefix() == null ? "" : out.prefix().replaceAll("^/+|/+$", "");
            env.add(plain("SKYFORGE_OUTPUT_BUCKET", out.bucket()));
            env.add(plain("SKYFORGE_OUTPUT_PREFIX", prefix));
            if (out.format() != null) {
                env.add(plain("SKYFORGE_OUTPUT_FORMAT", out.format()));
            }
            // The data API under the output prefix: a PUT of <url><key> with the token writes to the bucket.
            env.add(plain("SKYFORGE_OUTPUT_URL", "$(SKYFORGE_SERVER)/data/v1/namespaces/" + job.namespace()
                    + "/buckets/" + out.bucket() + "/objects/" + (prefix.isEmpty() ? "" : prefix + "/")));
        }
        return new ContainerBuilder()
                .withName(JOB_CONTAINER)
                .withImage(spec.image())
                .withCommand(spec.command() == null || spec.command().isEmpty() ? null : spec.command())
                .withArgs(spec.args() == null || spec.args().isEmpty() ? null : spec.args())
                .withEnv(env)
                .build();
    }

    /** The control plane's URL and the token, the token as a reference to a Secret only. */
    private static List<EnvVar> connection(KubernetesSettings settings) {
        return List.of(
                plain("SKYFORGE_SERVER", settings.serverUrl()),
                new EnvVarBuilder()
                        .withName("SKYFORGE_TOKEN")
                        .withNewValueFrom()
                            .withNewSecretKeyRef()
                                .withName(settings.tokenSecret())
                                .withKey(settings.tokenSecretKey())
                            .endSecretKeyRef()
                        .endValueFrom()
                        .build());
    }

    private static EnvVar plain(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    /** {@code spec.resources} as both requests and limits: the scheduler reserves what the job asked for. */
    static Container withResources(Container c, ResourceRequirements resources) {
        Map<String, Quantity> amounts = resources(resources);
        if (amounts.isEmpty()) {
            return c;
        }
        return new ContainerBuilder(c)
                .withResources(new ResourceRequirementsBuilder().withRequests(amounts).withLimits(amounts).build())
                .build();
    }

    static Map<String, Quantity> resources(ResourceRequirements resources) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        if (resources == null) {
            return out;
        }
        List<Violation> problems = new ArrayList<>();
        quantity("cpu", resources.cpu(), out, problems);
        quantity("memory", resources.memory(), out, problems);
        if (!problems.isEmpty()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "spec.resources: " + problems.get(0).message()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""), problems);
        }
        return out;
    }

    private static void quantity(String name, String value, Map<String, Quantity> out, List<Violation> problems) {
        if (value == null) {
            return;
        }
        String v = value.trim();
        if (!QUANTITY.matcher(v).matches()) {
            problems.add(Violation.at("spec.resources." + name, name + " '" + value + "' is not a Kubernetes quantity"
                    + " (e.g. " + (name.equals("cpu") ? "2 or 500m" : "4Gi or 512Mi") + ")"));
            return;
        }
        out.put(name, new Quantity(v));
    }
}
