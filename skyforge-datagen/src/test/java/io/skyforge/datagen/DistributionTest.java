package io.skyforge.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.datagen.engine.CompiledDataset;
import java.util.List;
import org.apache.commons.math3.distribution.ExponentialDistribution;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.distribution.ZipfDistribution;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Goodness of fit of each distribution, with fixed seeds, at significance 0.001: continuous ones
 * by Kolmogorov-Smirnov, discrete ones by chi-square (cells with expected count under 5 merged).
 */
class DistributionTest {

    static final double ALPHA = 0.001;
    static final int N = 20_000;
    static CompiledDataset ds;
    static List<List<String>> rows;

    @BeforeAll
    static void generate() {
        ds = Specs.compile("""
                seed: 12345
                tables:
                  - name: d
                    rows: %d
                    columns:
                      - {name: dice, type: int, generator: {kind: uniform, min: 1, max: 6}}
                      - {name: unit, type: double, generator: {kind: uniform, min: 0.0, max: 1.0}}
                      - {name: normal, type: double, generator: {kind: normal, mean: 50, stddev: 10}}
                      - {name: lognormal, type: double, generator: {kind: lognormal, mu: 1, sigma: 0.5}}
                      - {name: exponential, type: double, generator: {kind: exponential, rate: 0.5}}
                      - {name: poisson_small, type: int, generator: {kind: poisson, lambda: 4}}
                      - {name: poisson_large, type: int, generator: {kind: poisson, lambda: 30}}
                      - {name: zipf, type: int, generator: {kind: zipf, n: 50, s: 1.1}}
                      - {name: pick, type: varchar(1), generator: {kind: choice, values: [a, b, c, d], weights: [1, 2, 3, 4]}}
                      - {name: coin, type: boolean, generator: {kind: boolean, probability: 0.3}}
                  - name: parent
                    rows: 100
                    columns: [{name: id, type: int, generator: sequence}]
                  - name: child
                    rows: %d
                    columns:
                      - {name: skewed, type: int, generator: {kind: reference, table: parent, column: id, distribution: zipf, skew: 1.2}}
                      - {name: flat, type: int, generator: {kind: reference, table: parent, column: id}}
                """.formatted(N, N));
        rows = Gen.cells(ds, "d");
    }

    static double[] values(String column) {
        int c = Gen.column(ds, "d", column);
        return rows.stream().mapToDouble(r -> r.get(c).equals("true") ? 1 : r.get(c).equals("false") ? 0 : Double.parseDouble(r.get(c))).toArray();
    }

    static void assertFits(RealDistribution dist, double[] sample) {
        double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(dist, sample);
        assertThat(p).as("KS p-value").isGreaterThan(ALPHA);
    }

    /** Chi-square over values min..max given their probabilities; sparse tail cells merged. */
    static void assertFitsDiscrete(double[] sample, int min, int max, java.util.function.IntToDoubleFunction pmf) {
        int k = max - min + 1;
        double[] expected = new double[k];
        long[] observed = new long[k];
        for (int i = 0; i < k; i++) {
            expected[i] = pmf.applyAsDouble(min + i) * sample.length;
        }
        for (double v : sample) {
            int i = (int) Math.max(min, Math.min(max, v)) - min;
            observed[i]++;
        }
        // fold the probability outside [min, max] into the edge cells
        double sum = 0;
        for (double e : expected) {
            sum += e;
        }
        expected[k - 1] += sample.length - sum;
        int m = 0;
        double[] e2 = new double[k];
        long[] o2 = new long[k];
        for (int i = 0; i < k; i++) {
            e2[m] += expected[i];
            o2[m] += observed[i];
            if (e2[m] >= 5) {
                m++;
            }
        }
        if (m < k && e2[m] > 0) {
            e2[m - 1] += e2[m];
            o2[m - 1] += o2[m];
        }
        double p = new ChiSquareTest().chiSquareTest(java.util.Arrays.copyOf(e2, m), java.util.Arrays.copyOf(o2, m));
        assertThat(p).as("chi-square p-value").isGreaterThan(ALPHA);
    }

    @Test
    void shouldDrawUniformIntegersEvenly() {
        assertFitsDiscrete(values("dice"), 1, 6, x -> 1 / 6.0);
    }

    @Test
    void shouldDrawUniformRealsEvenly() {
        assertFits(new UniformRealDistribution(0, 1), values("unit"));
    }

    @Test
    void shouldDrawNormalValues() {
        assertFits(new NormalDistribution(50, 10), values("normal"));
    }

    @Test
    void shouldDrawLogNormalValues() {
        assertFits(new LogNormalDistribution(1, 0.5), values("lognormal"));
    }

    @Test
    void shouldDrawExponentialValues() {
        assertFits(new ExponentialDistribution(2), values("exponential"));
    }

    @Test
    void shouldDrawPoissonCountsForSmallAndLargeMeans() {
        PoissonDistribution small = new PoissonDistribution(4);
        assertFitsDiscrete(values("poisson_small"), 0, 20, small::probability);
        PoissonDistribution large = new PoissonDistribution(30);
        assertFitsDiscrete(values("poisson_large"), 0, 80, large::probability);
    }

    @Test
    void shouldDrawZipfRanks() {
        ZipfDistribution z = new ZipfDistribution(50, 1.1);
        assertFitsDiscrete(values("zipf"), 1, 50, z::probability);
    }

    @Test
    void shouldFollowChoiceWeightsAndBooleanProbability() {
        int c = Gen.column(ds, "d", "pick");
        double[] picks = rows.stream().mapToDouble(r -> r.get(c).charAt(0) - 'a').toArray();
        assertFitsDiscrete(picks, 0, 3, x -> (x + 1) / 10.0);
        assertFitsDiscrete(values("coin"), 0, 1, x -> x == 1 ? 0.3 : 0.7);
    }

    @Test
    void shouldSkewForeignKeysAsAsked() {
        List<List<String>> child = Gen.cells(ds, "child");
        double[] skewed = child.stream().mapToDouble(r -> Double.parseDouble(r.get(0))).toArray();
        double[] flat = child.stream().mapToDouble(r -> Double.parseDouble(r.get(1))).toArray();
        ZipfDistribution z = new ZipfDistribution(100, 1.2);
        assertFitsDiscrete(skewed, 1, 100, z::probability);
        assertFitsDiscrete(flat, 1, 100, x -> 0.01);
    }
}
