package io.skyforge.bench.datagen;

import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.run.PartRange;
import io.skyforge.datagen.run.PartWriter;
import io.skyforge.datagen.writer.Format;
import io.skyforge.datagen.writer.WriterOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import net.datafaker.Faker;

/**
 * The person-row comparison measured in thread CPU time rather than wall time, so that other load
 * on a shared machine does not decide the ratio: Skyforge and the naive Datafaker loop run
 * alternately in one JVM, each after a warm-up, and each is charged only the CPU its thread used.
 * Usage: CpuTimeComparison [skyforgeRows] [datafakerRows]
 */
public final class CpuTimeComparison {

    private CpuTimeComparison() {
    }

    public static void main(String[] args) throws IOException {
        long skyRows = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000;
        int fakerRows = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.println("| locale | skyforge rows/CPU-s | datafaker rows/CPU-s | ratio |");
        System.out.println("|---|---|---|---|");
        for (String[] l : new String[][] {{"en_US", "person-en.yaml"}, {"zh_CN", "person-zh.yaml"}}) {
            CompiledDataset ds = Specs.load(l[1]);
            Faker faker = new Faker(l[0].equals("en_US") ? Locale.US : Locale.SIMPLIFIED_CHINESE, new Random(42));
            DatagenBenchmarks.Discard sink = new DatagenBenchmarks.Discard();
            // warm-up of both, so the JIT has compiled what is measured
            skyforge(ds, 0, skyRows / 4, sink);
            datafaker(faker, fakerRows / 4, sink);
            long t0 = mx.getCurrentThreadCpuTime();
            skyforge(ds, skyRows, skyRows, sink);
            long t1 = mx.getCurrentThreadCpuTime();
            datafaker(faker, fakerRows, sink);
            long t2 = mx.getCurrentThreadCpuTime();
            double sky = skyRows / ((t1 - t0) / 1e9);
            double naive = fakerRows / ((t2 - t1) / 1e9);
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %.1f× |%n", l[0], sky, naive, sky / naive);
        }
        // lineitem in warmed thread CPU time, to set against dbgen's user time (dbgen has no JIT warm-up)
        CompiledDataset lineitem = Specs.load("tpch-lineitem.yaml");
        DatagenBenchmarks.Discard sink = new DatagenBenchmarks.Discard();
        WriterOptions csv = WriterOptions.of(Format.CSV).withHeader(false).withDelimiter('|');
        PartWriter.writeRows(lineitem, "lineitem", new PartRange(0, 1_000_000), csv, sink, 1, 1 << 14, x -> { });
        long t0 = mx.getCurrentThreadCpuTime();
        PartWriter.writeRows(lineitem, "lineitem", new PartRange(1_000_000, 1_000_000 + skyRows), csv, sink, 1, 1 << 14, x -> { });
        long t1 = mx.getCurrentThreadCpuTime();
        System.out.printf(Locale.ROOT, "%nlineitem csv, warmed, one thread: %,.0f rows per CPU-second%n", skyRows / ((t1 - t0) / 1e9));
    }

    private static void skyforge(CompiledDataset ds, long start, long n, DatagenBenchmarks.Discard sink) throws IOException {
        PartWriter.writeRows(ds, "person", new PartRange(start, start + n), WriterOptions.of(Format.CSV).withHeader(false), sink, 1,
                1 << 14, x -> { });
    }

    private static void datafaker(Faker f, int n, DatagenBenchmarks.Discard sink) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        for (int i = 0; i < n; i++) {
            sb.setLength(0);
            sb.append(i).append(',')
                    .append(f.name().fullName()).append(',')
                    .append(f.internet().emailAddress()).append(',')
                    .append(f.address().fullAddress()).append(',')
                    .append(f.phoneNumber().cellPhone()).append(',')
                    .append(f.company().name()).append('\n');
            sink.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
