package io.skyforge.bench.datagen;

import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.run.PartRange;
import io.skyforge.datagen.run.PartWriter;
import io.skyforge.datagen.writer.Format;
import io.skyforge.datagen.writer.WriterOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.datafaker.Faker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Rows per second on one thread, each benchmark writing complete CSV rows to a byte sink that
 * discards them. The Datafaker loops are the named baseline: the same person row built the naive
 * way, measured in the same run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class DatagenBenchmarks {

    static final int BATCH = 20_000;

    CompiledDataset personEn;
    CompiledDataset personZh;
    CompiledDataset lineitem;
    Faker fakerEn;
    Faker fakerZh;
    long offset;
    final Discard sink = new Discard();

    @Setup(Level.Trial)
    public void setUp() {
        personEn = Specs.load("person-en.yaml");
        personZh = Specs.load("person-zh.yaml");
        lineitem = Specs.load("tpch-lineitem.yaml");
        fakerEn = new Faker(Locale.US, new Random(42));
        fakerZh = new Faker(Locale.SIMPLIFIED_CHINESE, new Random(42));
    }

    private void rows(CompiledDataset ds, String table, Format f, int n) throws IOException {
        long rows = ds.table(table).rows();
        long start = offset % (rows - n);
        offset += n;
        PartWriter.writeRows(ds, table, new PartRange(start, start + n), WriterOptions.of(f).withHeader(false), sink, 1, n, x -> { });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long skyforgePersonEnUS() throws IOException {
        rows(personEn, "person", Format.CSV, BATCH);
        return sink.count;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long skyforgePersonZhCN() throws IOException {
        rows(personZh, "person", Format.CSV, BATCH);
        return sink.count;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void datafakerPersonEnUS(Blackhole bh) throws IOException {
        naive(fakerEn, bh);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void datafakerPersonZhCN(Blackhole bh) throws IOException {
        naive(fakerZh, bh);
    }

    /** The baseline: one Faker call per field, joined into a CSV line and encoded. */
    private void naive(Faker f, Blackhole bh) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        for (int i = 0; i < BATCH; i++) {
            sb.setLength(0);
            sb.append(offset++).append(',')
                    .append(f.name().fullName()).append(',')
                    .append(f.internet().emailAddress()).append(',')
                    .append(f.address().fullAddress()).append(',')
                    .append(f.phoneNumber().cellPhone()).append(',')
                    .append(f.company().name()).append('\n');
            sink.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        bh.consume(sink.count);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long skyforgeLineitemCsv() throws IOException {
        rows(lineitem, "lineitem", Format.CSV, BATCH);
        return sink.count;
    }

    @Benchmark
    @OperationsPerInvocation(200_000)
    public long skyforgeLineitemParquet() throws IOException {
        rows(lineitem, "lineitem", Format.PARQUET, 200_000);
        return sink.count;
    }

    /** Counts and drops bytes, so the benchmarks measure generation and encoding, not I/O. */
    static final class Discard extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
