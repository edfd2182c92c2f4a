package io.skyforge.cli;

import io.skyforge.core.Manifests;
import io.skyforge.core.codec.ParsedDocument;
import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.CompiledTable;
import io.skyforge.datagen.engine.DatasetCompiler;
import io.skyforge.datagen.engine.GenerateOptions;
import io.skyforge.datagen.output.LocalDirSink;
import io.skyforge.datagen.output.PartSink;
import io.skyforge.datagen.output.StreamSink;
import io.skyforge.datagen.run.Generation;
import io.skyforge.datagen.run.PartRange;
import io.skyforge.datagen.run.PartResult;
import io.skyforge.datagen.run.PartWriter;
import io.skyforge.datagen.writer.Compression;
import io.skyforge.datagen.writer.Format;
import io.skyforge.datagen.writer.SqlDialect;
import io.skyforge.datagen.writer.WriterOptions;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Offline generation from a Dataset file: no server, same bytes as a job would write. */
@Command(name = "generate", description = {
    "Generate data from a Dataset spec, offline.",
    "Writes <out>/<table>/part-<k>-of-<N>.<ext> and, last, <out>/_manifest.json."})
public final class GenerateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SPEC", description = "a Dataset file (YAML or JSON), or - for stdin")
    String specFile;

    @Option(names = "--out", paramLabel = "DIR|-|sf://NS/BUCKET/PREFIX|s3://BUCKET/PREFIX|jdbc:URL",
            description = {"output directory, - for stdout, a logical bucket of the running server (sf://),",
                "an S3 bucket (s3://), or a database (jdbc:) (default: ./<dataset name>)"})
    String out;

    @Option(names = "--server", paramLabel = "URL", description = "with sf://: server URL (default: $SKYFORGE_SERVER or http://127.0.0.1:8080)")
    String server;

    @Option(names = "--token", paramLabel = "T", description = "with sf://: API token (default: $SKYFORGE_TOKEN or ~/.skyforge/admin.token)")
    String token;

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "with s3://: endpoint (default: $AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL, else AWS S3)")
    String s3Endpoint;

    @Option(names = "--s3-region", paramLabel = "R",
            description = "with s3://: signing region (default: $AWS_REGION, $AWS_DEFAULT_REGION, else us-east-1)")
    String s3Region;

    @Option(names = "--s3-path-style", paramLabel = "true|false", arity = "1",
            description = "with s3://: path-style addressing (default true, as for a Cloud; false for virtual-hosted buckets)")
    Boolean s3PathStyle;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "csv", description = "csv, jsonl, sql or parquet (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--compression", paramLabel = "C",
            description = "none, gzip or zstd for text formats; snappy (default), zstd, gzip or none for parquet")
    String compression;

    @Option(names = "--table", paramLabel = "T", description = "only this table (repeatable)")
    List<String> tables = new ArrayList<>();

    @Option(names = "--rows", paramLabel = "N", description = "row count of the selected tables (all counted tables without --table)")
    Long rows;

    @Option(names = "--scale", paramLabel = "F", description = "scale factor applied to the spec's row counts")
    Double scale;

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "1", description = "parts per table (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--partition", paramLabel = "K", description = "write only part K (0-based) of each table; no manifest")
    Integer partition;

    @Option(names = "--threads", paramLabel = "T", description = "generator threads (default: available processors)")
    Integer threads;

    @Option(names = "--seed", paramLabel = "S", description = "override the spec's seed")
    Long seed;

    @Option(names = "--dialect", paramLabel = "D", defaultValue = "postgresql", description = "SQL dialect: postgresql or mysql")
    String dialect;

    @Option(names = "--delimiter", paramLabel = "CHAR", defaultValue = ",", description = "CSV delimiter (\\t for tab)")
    String delimiter;

    @Option(names = "--null", paramLabel = "TEXT", defaultValue = "", description = "CSV text for NULL (default: empty)")
    String nullText;

    @Option(names = "--no-header", description = "CSV without a header line")
    boolean noHeader;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar or summary")
    boolean quiet;

    @picocli.CommandLine.Mixin
    JdbcOutput.Options jdbc = new JdbcOutput.Options();

    @Spec
    CommandSpec spec;

    /** Where --out - writes; a field so tests can capture it. */
    OutputStream stdout = System.out;

    @Override
    public Integer call() {
        try {
            return generate();
        } catch (IOException e) {
            throw new SkyforgeException(ErrorCode.IO, "cannot write " + (out == null ? "output" : out) + ": " + e.getMessage(), e);
        }
    }

    private int generate() throws IOException {
        WriterOptions options = writerOptions();
        if (partitions < 1) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "--partitions must be at least 1, got " + partitions);
        }
        if (partition != null && (partition < 0 || partition >= partitions)) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "--partition must be within 0.." + (partitions - 1) + ", got " + partition);
        }
        if (rows != null && rows < 0) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "--rows must not be negative, got " + rows);
        }
        if (rows != null && scale != null) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "give --rows or --scale, not both");
        }
        if (scale != null && !(scale > 0 && Double.isFinite(scale))) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "--scale must be a positive number, got " + scale);
        }
        int threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (threadCount < 1) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "--threads must be at least 1");
        }

        ParsedDocument doc = readDataset();
        String name = doc.body().path("metadata").path("name").asString("dataset");
        JsonNode specNode = doc.body().get("spec");
        CompiledDataset probe = DatasetCompiler.compile(specNode, doc.sourceMap(), new GenerateOptions(scale, seed, Map.of()));
        for (String t : tables) {
            probe.table(t);
        }
        CompiledDataset dataset = rows == null ? probe
                : DatasetCompiler.compile(specNode, doc.sourceMap(), new GenerateOptions(scale, seed, rowOverrides(probe)));

        if (JdbcOutput.handles(out)) {
            JdbcOutput.load(out, jdbc, dataset, tables, partitions, partition, quiet, spec.commandLine().getOut(), n -> { });
            return Main.OK;
        }
        try (BucketTarget bucket = BucketTarget.open(out, this)) {
            return generate(name, dataset, options, threadCount, bucket == null ? sink(name) : bucket.sink());
        }
    }

    private int generate(String name, CompiledDataset dataset, WriterOptions options, int threadCount, PartSink sink)
            throws IOException {
        List<String> selected = tables.isEmpty() ? dataset.loadOrder() : tables;
        long total = 0;
        for (String t : selected) {
            long n = dataset.table(t).rows();
            total += partition == null ? n : PartRange.of(n, partition, partitions).rows();
        }
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(total, !quiet && sink.keepsObjects() && System.console() != null, err);
        long started = System.nanoTime();
        long bytes = 0;
        if (partition != null) {
            for (String t : selected) {
                PartResult r = PartWriter.write(dataset, t, partition, partitions, options, sink, threadCount, progress);
                bytes += r.bytes();
            }
        } else {
            ObjectNode manifest = Generation.run(name, dataset, tables, partitions, options, sink, threadCount, progress);
            for (JsonNode t : manifest.path("tables")) {
                for (JsonNode p : t.path("parts")) {
                    bytes += p.path("bytes").asLong();
                }
            }
        }
        progress.done();
        if (!quiet && sink.keepsObjects()) {
            double secs = (System.nanoTime() - started) / 1e9;
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "generated %,d rows of %d table(s) in %.1f s (%,.0f rows/s), %s to %s%s%n",
                    total, selected.size(), secs, total / Math.max(secs, 1e-9), human(bytes), sink.describe(),
                    partition == null ? " (manifest: _manifest.json)" : " (part " + partition + " of " + partitions + ", no manifest)");
            o.flush();
        }
        return Main.OK;
    }

    private Map<String, Long> rowOverrides(CompiledDataset probe) {
        Map<String, Long> m = new HashMap<>();
        if (!tables.isEmpty()) {
            for (String t : tables) {
                m.put(t, rows);
            }
        } else {
            for (CompiledTable t : probe.tables()) {
                if (t.spec().rows() instanceof io.skyforge.datagen.spec.RowsSpec.Count) {
                    m.put(t.name(), rows);
                }
            }
        }
        return m;
    }

    private WriterOptions writerOptions() {
        try {
            Format f = Format.parse(format);
            WriterOptions o = WriterOptions.of(f).withDialect(SqlDialect.parse(dialect)).withHeader(!noHeader).withNullText(nullText);
            if (compression != null) {
                o = o.withCompression(Compression.parse(compression));
            }
            String d = delimiter.equals("\\t") ? "\t" : delimiter;
            if (d.length() != 1) {
                throw new IllegalArgumentException("--delimiter must be one character, got '" + delimiter + "'");
            }
            return o.withDelimiter(d.charAt(0));
        } catch (IllegalArgumentException e) {
            throw new SkyforgeException(ErrorCode.VALIDATION, e.getMessage());
        }
    }

    private ParsedDocument readDataset() throws IOException {
        String text;
        String source = specFile;
        if (specFile.equals("-")) {
            text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            source = "<stdin>";
        } else {
            try {
                text = Files.readString(Path.of(specFile));
            } catch (NoSuchFileException e) {
                throw new SkyforgeException(ErrorCode.NOT_FOUND, "no such file: " + specFile);
            }
        }
        List<ParsedDocument> docs = Manifests.documents(source, text);
        List<ParsedDocument> datasets = docs.stream().filter(d -> "Dataset".equals(d.body().path("kind").asString(""))).toList();
        if (datasets.isEmpty()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, source + " holds no Dataset (kind: Dataset, apiVersion: data.mcp/v1)");
        }
        if (datasets.size() > 1) {
            throw new SkyforgeException(ErrorCode.VALIDATION, source + " holds " + datasets.size() + " Datasets; generate takes one");
        }
        // the generic envelope checks (apiVersion, metadata) and the Dataset checks, all reported together
        Manifests.validate(datasets);
        return datasets.get(0);
    }

    private PartSink sink(String datasetName) {
        String target = out == null ? datasetName : out;
        if (target.equals("-")) {
            return new StreamSink(stdout);
        }
        return new LocalDirSink(Path.of(target));
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** A one-line progress bar on stderr (rows/s, ETA), redrawn at most 10 times a second. */
    static final class Progress implements LongConsumer {
        private final long total;
        private final boolean enabled;
        private final PrintWriter err;
        private final AtomicLong done = new AtomicLong();
        private final long start = System.nanoTime();
        private long lastDraw;

        Progress(long total, boolean enabled, PrintWriter err) {
            this.total = total;
            this.enabled = enabled;
            this.err = err;
        }

        @Override
        public void accept(long rows) {
            long d = done.addAndGet(rows);
            if (!enabled) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastDraw < 100_000_000L && d < total) {
                return;
            }
            lastDraw = now;
            draw(d, now);
        }

        private synchronized void draw(long d, long now) {
            double secs = Math.max((now - start) / 1e9, 1e-3);
            double rate = d / secs;
            double frac = total == 0 ? 1 : Math.min(1.0, d / (double) total);
            int width = 30;
            int filled = (int) (frac * width);
            String eta = rate > 0 && d < total ? String.format(Locale.ROOT, "%.0fs", (total - d) / rate) : "0s";
            err.printf(Locale.ROOT, "\r[%s%s] %3.0f%% %,d/%,d rows  %,.0f rows/s  ETA %s ",
                    "#".repeat(filled), ".".repeat(width - filled), frac * 100, d, total, rate, eta);
            err.flush();
        }

        void done() {
            if (enabled) {
                draw(done.get(), System.nanoTime());
                err.println();
                err.flush();
            }
        }
    }
}
