package io.skyforge.bench.datagen;

import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.run.PartResult;
import io.skyforge.datagen.run.PartWriter;
import io.skyforge.datagen.writer.Format;
import io.skyforge.datagen.writer.WriterOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Steady-state 1 → 2 thread scaling of lineitem generation, without JVM start-up and JIT in the
 * figure: in one warmed JVM, a part of about N rows is written with 1 and with 2 threads, turn
 * about, through {@link PartWriter#write} (so the part's SHA-256 is computed on the writing thread
 * exactly as for a real part) into a sink that drops the bytes. Reports the median wall time of
 * each, the speed-up, and the CPU time of the whole process per run (GC and compiler threads
 * included, as in a process's user time). On a shared machine the wall-clock speed-up says more
 * about the other load than about the code, so it also reports what the CPU times allow on two
 * free cores: the 1-thread CPU time over the larger of half the 2-thread CPU time and the CPU time
 * of the writing thread (hand-over, checksum, and for Parquet the encoding), which cannot be
 * shared out.
 * Usage: ThreadScaling [rows] [repetitions] [formats, comma-separated: csv,parquet]
 */
public final class ThreadScaling {

    private ThreadScaling() {
    }

    public static void main(String[] args) throws IOException {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String[] formats = (args.length > 2 ? args[2] : "csv,parquet").split(",");
        CompiledDataset lineitem = Specs.load("tpch-lineitem.yaml");
        long tableRows = lineitem.table("lineitem").rows();
        int parts = (int) Math.max(1, tableRows / rows);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.println("| format | rows | 1 thread wall s | 2 threads wall s | speed-up (wall) "
                + "| 1 thread rows/CPU-s | 2 threads rows/CPU-s | writing thread CPU s (2 threads) | speed-up on 2 free cores (CPU) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (String f : formats) {
            WriterOptions options = f.equals("csv")
                    ? WriterOptions.of(Format.CSV).withHeader(false).withDelimiter('|')
                    : WriterOptions.of(Format.valueOf(f.toUpperCase(Locale.ROOT)));
            // warm-up: both paths compiled before anything is timed
            for (int threads = 1; threads <= 2; threads++) {
                run(lineitem, options, 0, parts, threads, os);
            }
            double[][] wall = new double[2][reps];
            double[][] cpu = new double[2][reps];
            double[][] writer = new double[2][reps];
            long n = 0;
            for (int i = 0; i < reps; i++) {
                // alternate so that drifting machine load falls on both sides alike
                for (int threads = 1; threads <= 2; threads++) {
                    double[] m = run(lineitem, options, (i + 1) % parts, parts, threads, os);
                    wall[threads - 1][i] = m[0];
                    cpu[threads - 1][i] = m[1];
                    writer[threads - 1][i] = m[3];
                    n = (long) m[2];
                }
            }
            double w1 = median(wall[0]);
            double w2 = median(wall[1]);
            double c1 = median(cpu[0]);
            double c2 = median(cpu[1]);
            double serial = median(writer[1]);
            System.out.printf(Locale.ROOT, "| %s | %,d | %.3f | %.3f | %.2f× | %,.0f | %,.0f | %.3f | %.2f× |%n", f, n, w1, w2, w1 / w2,
                    n / c1, n / c2, serial, c1 / Math.max(c2 / 2, serial));
        }
    }

    /** One part: wall seconds, process CPU seconds, rows, CPU seconds of this (the writing) thread. */
    private static double[] run(CompiledDataset ds, WriterOptions options, int part, int parts, int threads,
                                com.sun.management.OperatingSystemMXBean os) throws IOException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long c0 = os.getProcessCpuTime();
        long m0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        PartResult r = PartWriter.write(ds, "lineitem", part, parts, options, new DiscardSink(), threads, x -> { });
        long t1 = System.nanoTime();
        long m1 = mx.getCurrentThreadCpuTime();
        long c1 = os.getProcessCpuTime();
        return new double[] {(t1 - t0) / 1e9, (c1 - c0) / 1e9, r.rows(), (m1 - m0) / 1e9};
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
