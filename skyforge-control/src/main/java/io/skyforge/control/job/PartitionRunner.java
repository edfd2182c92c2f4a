package io.skyforge.control.job;

import io.skyforge.core.codec.Json;
import io.skyforge.core.codec.SourceMap;
import io.skyforge.core.model.BucketProvider;
import io.skyforge.core.model.DataJobSpec;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.LogicalBucketSpec;
import io.skyforge.core.model.OutputSpec;
import io.skyforge.core.model.Resource;
import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.DatasetCompiler;
import io.skyforge.datagen.engine.GenerateOptions;
import io.skyforge.datagen.run.Manifest;
import io.skyforge.datagen.run.PartResult;
import io.skyforge.datagen.run.PartWriter;
import io.skyforge.datagen.writer.Compression;
import io.skyforge.datagen.writer.Format;
import io.skyforge.datagen.writer.WriterOptions;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.LongConsumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs partition tasks of generation jobs and commits their manifest. A part goes to the output
 * bucket's copy on the task's cloud (the primary copy when that cloud holds none) under its
 * deterministic name, so a re-run after a lost lease rewrites the same bytes; the manifest goes,
 * last, to the copies that received parts.
 */
public final class PartitionRunner {

    /** Task results carry where the part landed besides the part itself. */
    private static final tools.jackson.databind.ObjectReader RESULT_READER = Json.MAPPER.readerFor(PartResult.class)
            .without(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final JobRuntime runtime;
    private final ExecutorService uploads;
    private final int threads;

    /**
     * @param uploads runs the streaming puts of parts being written
     * @param threads generator threads per partition (1 when several partitions run at once)
     */
    public PartitionRunner(JobRuntime runtime, ExecutorService uploads, int threads) {
        this.runtime = runtime;
        this.uploads = uploads;
        this.threads = threads;
    }

    /** Everything a job's execution needs, resolved once per job. */
    public record Prepared(Resource job, DataJobSpec spec, CompiledDataset dataset, WriterOptions options,
                           LogicalBucketSpec bucket, String datasetName) {
    }

    public Prepared prepare(Resource job) {
        DataJobSpec spec = Kinds.spec(job, DataJobSpec.class);
        if (spec.generate() == null || spec.output() == null) {
            throw new SkyforgeException(ErrorCode.VALIDATION, job.ref() + " has no spec.generate/spec.output;"
                    + " only generation jobs run on this backend");
        }
        Resource dataset = runtime.dataset(job.namespace(), spec.generate().dataset()).orElseThrow(() ->
                new SkyforgeException(ErrorCode.NOT_FOUND, job.ref() + " names Dataset " + job.namespace() + "/"
                        + spec.generate().dataset() + ", which does not exist"));
        Resource bucket = runtime.logicalBucket(job.namespace(), spec.output().bucket()).orElseThrow(() ->
                new SkyforgeException(ErrorCode.NOT_FOUND, job.ref() + " writes to LogicalBucket " + job.namespace() + "/"
                        + spec.output().bucket() + ", which does not exist"));
        GenerateOptions options = new GenerateOptions(spec.generate().scale(), spec.generate().seed(), Map.of());
        CompiledDataset compiled = DatasetCompiler.compile(dataset.spec(), SourceMap.empty(dataset.ref()), options);
        return new Prepared(job, spec, compiled, writerOptions(spec.output()), Kinds.spec(bucket, LogicalBucketSpec.class),
                dataset.name());
    }

    /** The tables a job generates, in load order (parents first). */
    public static List<String> tables(Prepared p) {
        List<String> wanted = p.spec().generate().tables();
        return wanted == null || wanted.isEmpty() ? p.dataset().loadOrder()
                : p.dataset().loadOrder().stream().filter(wanted::contains).toList();
    }

    /** Generates one partition into the bucket; returns its result as JSON for the task queue. */
    public String run(Prepared p, PartitionTask task, LongConsumer progress) {
        BucketProvider copy = copyOn(p.bucket(), task.cloud());
        ObjectStoreSink sink = new ObjectStoreSink(runtime.objectStore(copy.cloud()), copy.physicalId(),
                p.spec().output().prefix(), uploads, Map.of("job", p.job().namespace() + "/" + p.job().name(),
                        "job_uid", String.valueOf(p.job().metadata().uid())));
        try {
            PartResult r = PartWriter.write(p.dataset(), task.table(), task.part(), task.parts(), p.options(), sink, threads,
                    progress);
            ObjectNode json = Json.MAPPER.valueToTree(r);
            json.put("cloud", copy.cloud());
            json.put("physicalBucket", copy.physicalId());
            json.put("objectKey", sink.objectKey(r.key()));
            return json.toString();
        } catch (IOException e) {
            throw new SkyforgeException(ErrorCode.IO, "part " + task.part() + " of " + task.table() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks the part a worker process reports before its success is recorded: the name, place and
     * row range the task implies, and the object really in the bucket with that size (and SHA-256
     * where the store keeps one), so a manifest never lists a part that is missing, misplaced or
     * torn. Returns the result as it is recorded (the same form {@link #run} returns).
     */
    public String verifyReported(Prepared p, PartitionTask task, tools.jackson.databind.JsonNode reported) {
        List<String> problems = new ArrayList<>();
        PartResult r;
        try {
            r = RESULT_READER.readValue(reported);
        } catch (JacksonException e) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "the reported part is not a part result: " + e.getOriginalMessage());
        }
        String expectedKey = io.skyforge.datagen.run.PartWriter.key(task.table(), task.part(), task.parts(), p.options());
        io.skyforge.datagen.run.PartRange range = io.skyforge.datagen.run.PartRange.of(p.dataset().table(task.table()).rows(),
                task.part(), task.parts());
        BucketProvider copy = copyOn(p.bucket(), task.cloud());
        ObjectStoreSink sink = new ObjectStoreSink(runtime.objectStore(copy.cloud()), copy.physicalId(),
                p.spec().output().prefix(), uploads, Map.of());
        String objectKey = sink.objectKey(expectedKey);
        expect(problems, "table", task.table(), r.table());
        expect(problems, "part", task.part(), r.part());
        expect(problems, "parts", task.parts(), r.parts());
        expect(problems, "key", expectedKey, r.key());
        expect(problems, "firstRow", range.start(), r.firstRow());
        expect(problems, "rows", range.rows(), r.rows());
        expect(problems, "cloud", copy.cloud(), reported.path("cloud").asString(null));
        expect(problems, "physicalBucket", copy.physicalId(), reported.path("physicalBucket").asString(null));
        expect(problems, "objectKey", objectKey, reported.path("objectKey").asString(null));
        if (r.sha256() == null || !r.sha256().matches("[0-9a-f]{64}")) {
            problems.add("sha256 must be 64 lowercase hex digits");
        }
        if (problems.isEmpty()) {
            var info = runtime.objectStore(copy.cloud()).head(copy.physicalId(), objectKey);
            if (info.isEmpty()) {
                problems.add(copy.cloud() + ":" + copy.physicalId() + "/" + objectKey + " does not exist");
            } else {
                expect(problems, "bytes (the stored object's size)", info.get().size(), r.bytes());
                info.get().sha256Hex().ifPresent(stored -> expect(problems, "sha256 (the stored object's)", stored, r.sha256()));
            }
        }
        if (!problems.isEmpty()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "task " + task.index() + " (" + task.table() + " part "
                    + task.part() + " of " + task.parts() + "): the reported part does not match: " + String.join("; ", problems));
        }
        ObjectNode json = Json.MAPPER.valueToTree(r);
        json.put("cloud", copy.cloud());
        json.put("physicalBucket", copy.physicalId());
        json.put("objectKey", objectKey);
        return json.toString();
    }

    private static void expect(List<String> problems, String field, Object expected, Object actual) {
        if (!java.util.Objects.equals(expected, actual)) {
            problems.add(field + " is " + actual + ", expected " + expected);
        }
    }

    /**
     * Writes the manifest of finished tasks, last, to every copy that received parts (the primary
     * copy when none did); a job is complete when its manifest exists. Parts split over several
     * copies reach the others through replication.
     */
    public ObjectNode commit(Prepared p, List<PartitionTask> done) {
        List<PartResult> parts = new ArrayList<>();
        java.util.Set<String> clouds = new java.util.TreeSet<>();
        for (PartitionTask t : done) {
            try {
                parts.add(RESULT_READER.readValue(t.result()));
                clouds.add(Json.MAPPER.readTree(t.result()).path("cloud").asString(t.cloud()));
            } catch (JacksonException e) {
                throw new SkyforgeException(ErrorCode.INTERNAL, "task " + t.index() + " has an unreadable result", e);
            }
        }
        ObjectNode manifest = Manifest.build(p.datasetName(), p.dataset(), p.options(), parts);
        if (clouds.isEmpty()) {
            clouds.add(primary(p.bucket()).cloud());
        }
        for (String cloud : clouds) {
            BucketProvider copy = copyOn(p.bucket(), cloud);
            ObjectStoreSink sink = new ObjectStoreSink(runtime.objectStore(copy.cloud()), copy.physicalId(),
                    p.spec().output().prefix(), uploads, Map.of("job", p.job().namespace() + "/" + p.job().name()));
            try {
                Manifest.write(sink, manifest);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return manifest;
    }

    static BucketProvider copyOn(LogicalBucketSpec bucket, String cloud) {
        return bucket.providers().stream().filter(b -> b.cloud().equals(cloud)).findFirst().orElseGet(() -> primary(bucket));
    }

    static BucketProvider primary(LogicalBucketSpec bucket) {
        return bucket.providers().stream().filter(b -> b.cloud().equals(bucket.primary())).findFirst()
                .orElse(bucket.providers().get(0));
    }

    static WriterOptions writerOptions(OutputSpec out) {
        WriterOptions o = WriterOptions.of(Format.parse(out.format() == null ? "csv" : out.format()));
        return out.compression() == null ? o : o.withCompression(Compression.parse(out.compression()));
    }
}
