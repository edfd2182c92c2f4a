package io.skyforge.provider.kubernetes;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jobs of one cloud's Kubernetes namespace: create-or-keep, progress, delete. Every answer of
 * the API server becomes a result or a {@link SkyforgeException} with a stable code.
 *
 * <p>Creation is idempotent because the Job's name is a function of (DataJob, cloud) and the Job
 * carries the DataJob's uid: a re-dispatch (another pass, another replica, a restarted control
 * plane) finds the Job it made before and keeps it rather than starting the partitions twice.
 */
public final class KubernetesJobs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesJobs.class);
    /** A few quick retries for 5xx/429 answers; the control loop's next pass is the real retry. */
    private static final int RETRIES = 2;
    private static final int RETRY_INTERVAL_MILLIS = 200;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int REQUEST_TIMEOUT_MILLIS = 15_000;

    private final String cloud;
    private final KubernetesClient client;
    private final String namespace;
    private final boolean ownsClient;

    /** What {@link #ensure} did. */
    public enum Outcome {
        /** The Job did not exist and was created. */
        CREATED,
        /** The Job of this very DataJob (same uid) exists already and was left alone. */
        KEPT,
        /**
         * A Job of an earlier DataJob with the same namespace and name (another uid) was in the way and
         * has been deleted; Kubernetes removes it in the background, and a later {@code ensure} creates
         * the new one.
         */
        REPLACING
    }

    public record Ensured(Outcome outcome, JobProgress progress) {
    }

    /** Over a client the caller keeps (and closes), e.g. a mock server's. */
    public KubernetesJobs(String cloud, KubernetesClient client, String namespace) {
        this(cloud, client, namespace, false);
    }

    private KubernetesJobs(String cloud, KubernetesClient client, String namespace, boolean ownsClient) {
        this.cloud = Objects.requireNonNull(cloud, "cloud");
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.ownsClient = ownsClient;
    }

    /**
     * A client for a cloud's cluster: the kubeconfig's context ({@code compute.context}, else the
     * current one) or the in-cluster service account, with {@code compute.masterUrl} overriding the
     * API server's URL. Closing the result closes the client.
     */
    public static KubernetesJobs connect(String cloud, KubernetesSettings settings) {
        Config config;
        try {
            Config auto = Config.autoConfigure(settings.context());
            if (settings.context() != null && (auto.getCurrentContext() == null
                    || !settings.context().equals(auto.getCurrentContext().getName()))) {
                // fabric8 falls back to the defaults for an unknown context: that would be another cluster.
                List<String> known = auto.getContexts() == null ? List.of()
                        : auto.getContexts().stream().map(NamedContext::getName).sorted().toList();
                throw new SkyforgeException(ErrorCode.VALIDATION, "Cloud " + cloud + ": spec.compute.context: the kubeconfig"
                        + " has no context '" + settings.context() + "'; known contexts: "
                        + (known.isEmpty() ? "none (no kubeconfig found)" : String.join(", ", known)));
            }
            ConfigBuilder b = new ConfigBuilder(auto)
                    .withRequestRetryBackoffLimit(RETRIES)
                    .withRequestRetryBackoffInterval(RETRY_INTERVAL_MILLIS)
                    .withConnectionTimeout(CONNECT_TIMEOUT_MILLIS)
                    .withRequestTimeout(REQUEST_TIMEOUT_MILLIS);
            if (settings.masterUrl() != null) {
                b.withMasterUrl(settings.masterUrl());
            }
            config = b.build();
        } catch (KubernetesClientException | IllegalArgumentException | IllegalStateException e) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "Cloud " + cloud + ": cannot configure the Kubernetes client"
                    + (settings.context() == null ? "" : " for kubeconfig context '" + settings.context() + "'") + ": "
                    + e.getMessage(), e);
        }
        KubernetesClient client = new KubernetesClientBuilder()
                .withHttpClientFactory(new JdkHttpClientFactory())
                .withConfig(config)
                .build();
        return new KubernetesJobs(cloud, client, settings.namespace(), true);
    }

    public String namespace() {
        return namespace;
    }

    /**
     * Creates the Job unless this DataJob's Job of that name exists already.
     *
     * @throws SkyforgeException SF-CONFLICT when a Job of that name belongs to something else; the
     *                           codes of {@link KubernetesErrors} when the API server fails
     */
    public Ensured ensure(Job manifest) {
        String name = manifest.getMetadata().getName();
        Map<String, String> wanted = manifest.getMetadata().getLabels();
        try {
            Job created = jobs().resource(manifest).create();
            LOG.info("cloud {}: created Kubernetes Job {}/{} for DataJob {}/{}", cloud, namespace, name,
                    wanted.get(IndexedJobManifest.JOB_NAMESPACE_LABEL), wanted.get(IndexedJobManifest.JOB_NAME_LABEL));
            return new Ensured(Outcome.CREATED, JobProgress.of(created));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw KubernetesErrors.map(cloud, apiServer(), "creating Job " + namespace + "/" + name, e);
            }
        }
        Job existing = call("reading Job " + namespace + "/" + name, () -> jobs().withName(name).get());
        if (existing == null) {
            // Deleted between our create and our read: the next pass creates it.
            return new Ensured(Outcome.REPLACING, JobProgress.of(manifest));
        }
        Map<String, String> have = existing.getMetadata().getLabels() == null ? Map.of() : existing.getMetadata().getLabels();
        if (Objects.equals(have.get(IndexedJobManifest.JOB_UID_LABEL), wanted.get(IndexedJobManifest.JOB_UID_LABEL))) {
            return new Ensured(Outcome.KEPT, JobProgress.of(existing));
        }
        boolean sameJob = IndexedJobManifest.MANAGED_BY.equals(have.get(IndexedJobManifest.MANAGED_BY_LABEL))
                && Objects.equals(have.get(IndexedJobManifest.JOB_NAMESPACE_LABEL), wanted.get(IndexedJobManifest.JOB_NAMESPACE_LABEL))
                && Objects.equals(have.get(IndexedJobManifest.JOB_NAME_LABEL), wanted.get(IndexedJobManifest.JOB_NAME_LABEL))
                && Objects.equals(have.get(IndexedJobManifest.CLOUD_LABEL), wanted.get(IndexedJobManifest.CLOUD_LABEL));
        if (!sameJob) {
            throw new SkyforgeException(ErrorCode.CONFLICT, "Cloud " + cloud + ": Kubernetes Job " + namespace + "/" + name
                    + " exists and does not belong to DataJob " + wanted.get(IndexedJobManifest.JOB_NAMESPACE_LABEL) + "/"
                    + wanted.get(IndexedJobManifest.JOB_NAME_LABEL) + "; delete it or use another compute.namespace");
        }
        LOG.info("cloud {}: deleting Kubernetes Job {}/{} left by an earlier DataJob {}/{} (uid {})", cloud, namespace, name,
                have.get(IndexedJobManifest.JOB_NAMESPACE_LABEL), have.get(IndexedJobManifest.JOB_NAME_LABEL),
                have.get(IndexedJobManifest.JOB_UID_LABEL));
        delete(name);
        return new Ensured(Outcome.REPLACING, JobProgress.of(existing));
    }

    /** The Job's progress, or empty when there is no Job of that name (never made, deleted, expired by its TTL). */
    public Optional<JobProgress> progress(String name) {
        Job job = call("reading Job " + namespace + "/" + name, () -> jobs().withName(name).get());
        return Optional.ofNullable(job).map(JobProgress::of);
    }

    /** Every Job Skyforge made in this namespace (to find those whose DataJob is gone). */
    public List<JobProgress> list() {
        JobList list = call("listing Jobs in " + namespace, () -> jobs()
                .withLabel(IndexedJobManifest.MANAGED_BY_LABEL, IndexedJobManifest.MANAGED_BY).list());
        return list.getItems().stream().map(JobProgress::of).toList();
    }

    /** The Jobs of one DataJob (by uid) in this namespace, every cloud and round. */
    public List<JobProgress> list(String jobUid) {
        JobList list = call("listing the Jobs of DataJob uid " + jobUid + " in " + namespace, () -> jobs()
                .withLabel(IndexedJobManifest.MANAGED_BY_LABEL, IndexedJobManifest.MANAGED_BY)
                .withLabel(IndexedJobManifest.JOB_UID_LABEL, jobUid).list());
        return list.getItems().stream().map(JobProgress::of).toList();
    }

    /**
     * Deletes the Job with background propagation: the Job goes at once, Kubernetes' garbage
     * collector stops and removes its pods after. True when there was a Job to delete.
     */
    public boolean delete(String name) {
        List<StatusDetails> gone = call("deleting Job " + namespace + "/" + name, () -> jobs().withName(name)
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
        return !gone.isEmpty();
    }

    /** Deletes every Job of one DataJob (by uid) in this namespace, as {@link #delete} does; how many there were. */
    public int deleteAll(String jobUid) {
        List<StatusDetails> gone = call("deleting the Jobs of DataJob uid " + jobUid + " in " + namespace, () -> jobs()
                .withLabel(IndexedJobManifest.MANAGED_BY_LABEL, IndexedJobManifest.MANAGED_BY)
                .withLabel(IndexedJobManifest.JOB_UID_LABEL, jobUid)
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
        return gone.size();
    }

    private NonNamespaceOperation<Job, JobList, ScalableResource<Job>> jobs() {
        return client.batch().v1().jobs().inNamespace(namespace);
    }

    private <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (KubernetesClientException e) {
            throw KubernetesErrors.map(cloud, apiServer(), what, e);
        }
    }

    private String apiServer() {
        return client.getConfiguration().getMasterUrl();
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
