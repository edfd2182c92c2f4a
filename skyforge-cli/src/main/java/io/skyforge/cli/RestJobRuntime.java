package io.skyforge.cli;

import io.skyforge.control.cloud.CloudRegistry;
import io.skyforge.control.job.JobRuntime;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.secret.EnvReferences;
import io.skyforge.core.secret.Secrets;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStores;
import java.util.List;
import java.util.Optional;

/**
 * What a worker process needs to run partitions, fetched over REST: the DataJob, Dataset and
 * LogicalBucket, and each cloud's storage. The API never hands out a stored secret, so a worker
 * opens a cloud's store from its {@code Cloud} with the {@code ${VAR}} references resolved in the
 * worker's own environment (or {@code $SKYFORGE_SECRETS_DIR/VAR} files); credentials never travel
 * through the control plane and are never printed.
 */
final class RestJobRuntime implements JobRuntime, AutoCloseable {

    private static final List<String> SECRET_FIELDS = List.of("secretKey", "accountKey");

    private final ApiClient client;
    private final CloudRegistry stores;

    RestJobRuntime(ApiClient client, EnvReferences env) {
        this.client = client;
        this.stores = new CloudRegistry(env, ObjectStores::open, "in this worker's environment");
    }

    @Override
    public Optional<Resource> dataJob(String namespace, String name) {
        return client.get(Kinds.DATA_JOB, namespace, name);
    }

    @Override
    public Optional<Resource> dataset(String namespace, String name) {
        return client.get(Kinds.DATASET, namespace, name);
    }

    @Override
    public Optional<Resource> logicalBucket(String namespace, String name) {
        return client.get(Kinds.LOGICAL_BUCKET, namespace, name);
    }

    /** The cloud's store, rebuilt when its Cloud changed (the registry compares generations). */
    @Override
    public ObjectStore objectStore(String cloud) {
        Resource c = client.get(Kinds.CLOUD, null, cloud).orElseThrow(() -> new SkyforgeException(ErrorCode.NOT_FOUND,
                "Cloud " + cloud + " not found on the server"));
        for (String field : SECRET_FIELDS) {
            if (Secrets.REDACTED.equals(c.spec().path(field).asString(null))) {
                throw new SkyforgeException(ErrorCode.VALIDATION, "Cloud " + cloud + " keeps spec." + field + " as a stored"
                        + " secret, which the API never hands out; to run workers for it, write it as a reference (" + field
                        + ": ${" + cloud.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_"
                        + field.replaceAll("([A-Z])", "_$1").toUpperCase(java.util.Locale.ROOT) + "}) and set that variable"
                        + " where the workers run");
            }
        }
        stores.configure(c);
        return stores.store(cloud);
    }

    @Override
    public void close() {
        stores.close();
    }
}
