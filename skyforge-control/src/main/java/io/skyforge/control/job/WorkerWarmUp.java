package io.skyforge.control.job;

import io.skyforge.core.Manifests;
import io.skyforge.core.codec.Json;
import io.skyforge.core.model.Resource;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.spi.storage.ObjectStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Runs a new worker's job path once before it claims any work: every table of the built-in
 * generator tour ({@code examples/datasets/generators.yaml}, every generator kind of the spec
 * language) through {@link PartitionRunner} and {@link ObjectStoreSink}, in CSV, into a filesystem
 * store in a scratch directory that is deleted afterwards.
 *
 * <p>Why: a fresh JVM compiles the generators, the writer, the pipe and the hashing inside its first
 * partition — about 1.7 CPU s on two cores, much of it in the C2 thread. Next to other workers on the
 * same cores that is wall time the whole job waits for; a long-running worker pays it once, at start,
 * while it has nothing else to do. Nothing reaches the cloud's buckets, and the generator tour is the
 * same for every worker, so no job's data is assumed.
 */
public final class WorkerWarmUp {

    /** The generator tour, copied from {@code examples/datasets} into the jar by the build. */
    static final String TOUR = "/io/skyforge/control/job/warm-up/generators.yaml";
    private static final String CLOUD = "warm-up";
    private static final String BUCKET = "warm-up";

    /** What a warm-up generated, and how long it took. */
    public record Result(int parts, long rows, long bytes, Duration took) {
    }

    private WorkerWarmUp() {
    }

    /**
     * Generates the tour {@code rounds} times over, at its own row counts (its unique columns bound
     * them), with {@code threads} generator threads per table as the worker's jobs run.
     *
     * @param stop checked at every chunk of rows; true ends the warm-up early (a SIGTERM at start)
     */
    public static Result run(ExecutorService uploads, int threads, int rounds, BooleanSupplier stop) {
        return run(Path.of(System.getProperty("java.io.tmpdir")), uploads, threads, rounds, stop);
    }

    /** As {@link #run(ExecutorService, int, int, BooleanSupplier)}, with the scratch directory made in {@code tmp}. */
    static Result run(Path tmp, ExecutorService uploads, int threads, int rounds, BooleanSupplier stop) {
        long started = System.nanoTime();
        Resource tour = tour();
        Resource job = Manifests.read("warm-up", """
                apiVersion: batch.mcp/v1
                kind: DataJob
                metadata: {name: warm-up, namespace: warm-up}
                spec:
                  generate: {dataset: %s}
                  output: {bucket: %s, format: csv}
                """.formatted(tour.name(), BUCKET)).get(0);
        Resource bucket = Manifests.read("warm-up", """
                apiVersion: storage.mcp/v1
                kind: LogicalBucket
                metadata: {name: %s, namespace: warm-up}
                spec: {providers: [{cloud: %s, physicalId: %s}]}
                """.formatted(BUCKET, CLOUD, BUCKET)).get(0);
        Path scratch;
        try {
            scratch = Files.createTempDirectory(tmp, "skyforge-warm-up-");
        } catch (IOException e) {
            throw new SkyforgeException(ErrorCode.IO, "cannot create the warm-up's scratch directory: " + e.getMessage(), e);
        }
        try (ObjectStore store = ObjectStores.open(ObjectStoreConfig.builder("filesystem").name(CLOUD)
                .root(scratch.toString()).build())) {
            store.createBucket(BUCKET);
            PartitionRunner runner = new PartitionRunner(new ScratchRuntime(job, tour, bucket, store), uploads, threads);
            PartitionRunner.Prepared p = runner.prepare(job);
            List<String> tables = PartitionRunner.tables(p);
            long rows = 0;
            long bytes = 0;
            int done = 0;
            for (int round = 0; round < rounds && !stop.getAsBoolean(); round++) {
                for (String table : tables) {
                    PartitionTask task = PartitionTask.planned("warm-up", done, job.namespace(), job.name(), table, 0, 1, CLOUD);
                    String result;
                    try {
                        result = runner.run(p, task, n -> {
                            if (stop.getAsBoolean()) {
                                throw new SkyforgeException(ErrorCode.UNAVAILABLE, "the worker is stopping");
                            }
                        });
                    } catch (SkyforgeException e) {
                        if (stop.getAsBoolean()) {
                            break; // the part was aborted; nothing of it stays in the scratch directory
                        }
                        throw e;
                    }
                    var json = Json.MAPPER.readTree(result);
                    rows += json.path("rows").asLong();
                    bytes += json.path("bytes").asLong();
                    done++;
                }
            }
            return new Result(done, rows, bytes, Duration.ofNanos(System.nanoTime() - started));
        } finally {
            deleteTree(scratch);
        }
    }

    /** The built-in generator tour as a Dataset resource. */
    static Resource tour() {
        try (InputStream in = WorkerWarmUp.class.getResourceAsStream(TOUR)) {
            if (in == null) {
                throw new SkyforgeException(ErrorCode.INTERNAL, "the warm-up dataset " + TOUR + " is missing from the class path");
            }
            return Manifests.read(TOUR, new String(in.readAllBytes(), StandardCharsets.UTF_8)).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a scratch directory left in the temp dir is harmless; the warm-up itself succeeded
        }
    }

    /** Resolves the warm-up's own job, dataset and bucket, and its scratch store for every cloud. */
    private record ScratchRuntime(Resource job, Resource dataset, Resource bucket, ObjectStore store) implements JobRuntime {

        @Override
        public Optional<Resource> dataJob(String namespace, String name) {
            return Optional.of(job);
        }

        @Override
        public Optional<Resource> dataset(String namespace, String name) {
            return Optional.of(dataset);
        }

        @Override
        public Optional<Resource> logicalBucket(String namespace, String name) {
            return Optional.of(bucket);
        }

        @Override
        public ObjectStore objectStore(String cloud) {
            return store;
        }
    }
}
