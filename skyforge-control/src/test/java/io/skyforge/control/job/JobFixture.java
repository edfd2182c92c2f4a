package io.skyforge.control.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.core.Manifests;
import io.skyforge.core.codec.Json;
import io.skyforge.core.model.Resource;
import io.skyforge.datagen.output.LocalDirSink;
import io.skyforge.datagen.run.PartWriter;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.spi.storage.ObjectStores;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Two filesystem clouds, the shop dataset and a bucket with a copy on each: what job tests run against. */
abstract class JobFixture {

    @TempDir
    Path root;

    final Map<String, ObjectStore> stores = new java.util.concurrent.ConcurrentHashMap<>();
    final Map<String, Resource> jobs = new java.util.concurrent.ConcurrentHashMap<>();
    ExecutorService uploads;
    Resource dataset;
    Resource bucket;

    final JobRuntime runtime = new JobRuntime() {
        @Override
        public Optional<Resource> dataJob(String namespace, String name) {
            return Optional.ofNullable(jobs.get(namespace + "/" + name));
        }

        @Override
        public Optional<Resource> dataset(String namespace, String name) {
            return name.equals(dataset.name()) ? Optional.of(dataset) : Optional.empty();
        }

        @Override
        public Optional<Resource> logicalBucket(String namespace, String name) {
            return name.equals(bucket.name()) ? Optional.of(bucket) : Optional.empty();
        }

        @Override
        public ObjectStore objectStore(String cloud) {
            return stores.computeIfAbsent(cloud, c -> ObjectStores.factory("filesystem")
                    .create(ObjectStoreConfig.builder("filesystem").name(c).root(root.resolve(c).toString()).build()));
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        uploads = Executors.newCachedThreadPool();
        dataset = Manifests.read("shop.yaml", Files.readString(Path.of("..", "examples", "datasets", "shop.yaml"))).get(0);
        bucket = Manifests.read("lb.yaml", "apiVersion: storage.mcp/v1\nkind: LogicalBucket\nmetadata: {name: out}\n"
                + "spec: {primary: B, providers: [{cloud: A, physicalId: bucket-a}, {cloud: B, physicalId: bucket-b}]}\n").get(0);
        runtime.objectStore("A").createBucket("bucket-a");
        runtime.objectStore("B").createBucket("bucket-b");
    }

    @AfterEach
    void tearDown() {
        uploads.shutdownNow();
        stores.values().forEach(ObjectStore::close);
    }

    Resource job(String extra) {
        return Manifests.read("job.yaml", "apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata: {name: shop-job, namespace: default}\n"
                + "spec:\n  generate: {dataset: shop}\n  output: {bucket: out, prefix: shop/v1, format: csv}\n" + extra).get(0);
    }

    static byte[] read(ObjectStore store, String bucket, String key) throws Exception {
        try (InputStream in = store.get(bucket, key).stream()) {
            return in.readAllBytes();
        }
    }

}
