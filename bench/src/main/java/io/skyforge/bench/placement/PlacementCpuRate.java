package io.skyforge.bench.placement;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The {@link PlacementBenchmark} workload measured in decisions per CPU-second of the benchmark
 * thread, next to the wall-clock rate. JMH's throughput is wall-clock, so on a shared machine it
 * mostly measures how often the scheduler ran us; the CPU-time rate is what one core placing jobs
 * full time would sustain. Same baseline (filters only), same run.
 *
 * <p>Usage: {@code PlacementCpuRate [seconds-per-round=3] [rounds=16]}; the first half of the
 * rounds are warm-up.
 */
public final class PlacementCpuRate {

    private PlacementCpuRate() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        PlacementBenchmark b = PlacementBenchmark.of(50, 1000);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] decide = new double[2];
        double[] filters = new double[2];
        for (int r = 0; r < rounds; r++) {
            boolean measured = r >= rounds / 2;
            double[] d = run(mx, seconds, b::decide);
            double[] f = run(mx, seconds, b::filtersOnly);
            System.out.printf(Locale.ROOT, "%s round %d: decide %.0f/CPU-s (%.0f/s wall), filtersOnly %.0f/CPU-s (%.0f/s wall)%n",
                    measured ? "measure" : "warm-up", r + 1, d[0], d[1], f[0], f[1]);
            if (measured) {
                decide[0] += d[0];
                decide[1] += d[1];
                filters[0] += f[0];
                filters[1] += f[1];
            }
        }
        int n = rounds - rounds / 2;
        System.out.printf(Locale.ROOT, "RESULT decide_per_cpu_s=%.0f decide_per_wall_s=%.0f filtersOnly_per_cpu_s=%.0f"
                        + " filtersOnly_per_wall_s=%.0f ratio_decide_vs_filtersOnly=%.3f%n",
                decide[0] / n, decide[1] / n, filters[0] / n, filters[1] / n, decide[0] / filters[0]);
    }

    private static double[] run(ThreadMXBean mx, double seconds, Supplier<?> op) {
        long wall0 = System.nanoTime();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long ops = 0;
        Object sink = null;
        while (System.nanoTime() - wall0 < seconds * 1e9) {
            sink = op.get();
            ops++;
        }
        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
        long wall = System.nanoTime() - wall0;
        if (sink == null) {
            throw new IllegalStateException("the benchmark returned nothing");
        }
        return new double[] {ops / (cpu / 1e9), ops / (wall / 1e9)};
    }
}
