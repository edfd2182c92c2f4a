package io.skyforge.datagen.engine;

/** Samplers driven by a cell's random words (so each is a pure function of the cell). */
public final class Distributions {

    private Distributions() {
    }

    /** Standard normal by Box-Muller from two words of {@code h}. */
    public static double normal(long h) {
        double u1 = 1.0 - Mix.unit(h);
        double u2 = Mix.unit(Mix.next(h, 0));
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    public static double exponential(long h, double rate) {
        return -Math.log1p(-Mix.unit(h)) / rate;
    }

    /** Poisson: multiplication method for small means, PTRS (Hörmann 1993) above. */
    public static long poisson(long h, double lambda) {
        if (lambda < 10) {
            double l = Math.exp(-lambda);
            long k = 0;
            double p = Mix.unit(h);
            int i = 0;
            while (p > l) {
                k++;
                p *= Mix.unit(Mix.next(h, i++));
            }
            return k;
        }
        double slam = Math.sqrt(lambda);
        double loglam = Math.log(lambda);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invalpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        for (int i = 0; ; i += 2) {
            double u = Mix.unit(Mix.next(h, i)) - 0.5;
            double v = Mix.unit(Mix.next(h, i + 1));
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) {
                return k;
            }
        }
    }

    static double logFactorial(long k) {
        if (k < 20) {
            double r = 0;
            for (long i = 2; i <= k; i++) {
                r += Math.log(i);
            }
            return r;
        }
        double x = k + 1.0;
        // Stirling series for ln Γ(x): accurate to ~1e-10 for x >= 20
        return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1.0 / (12 * x) - 1.0 / (360 * x * x * x);
    }

    /** Zipf over {1..n} with exponent s by rejection-inversion (Hörmann and Derflinger 1996): O(1) for any n. */
    public static final class Zipf {
        private final long n;
        private final double s;
        private final double hIntegralX1;
        private final double hIntegralN;
        private final double sDiv;

        public Zipf(long n, double s) {
            this.n = n;
            this.s = s;
            hIntegralX1 = hIntegral(1.5) - 1.0;
            hIntegralN = hIntegral(n + 0.5);
            sDiv = 2.0 - hIntegralInverse(hIntegral(2.5) - h(2));
        }

        public long sample(long h) {
            for (int i = 0; ; i++) {
                double u = hIntegralN + Mix.unit(i == 0 ? h : Mix.next(h, i)) * (hIntegralX1 - hIntegralN);
                double x = hIntegralInverse(u);
                long k = (long) (x + 0.5);
                if (k < 1) {
                    k = 1;
                } else if (k > n) {
                    k = n;
                }
                if (k - x <= sDiv || u >= hIntegral(k + 0.5) - h(k)) {
                    return k;
                }
            }
        }

        private double h(double x) {
            return Math.exp(-s * Math.log(x));
        }

        private double hIntegral(double x) {
            double logX = Math.log(x);
            return helper2((1.0 - s) * logX) * logX;
        }

        private double hIntegralInverse(double x) {
            double t = x * (1.0 - s);
            if (t < -1.0) {
                t = -1.0;
            }
            return Math.exp(helper1(t) * x);
        }

        private static double helper1(double x) {
            return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
        }

        private static double helper2(double x) {
            return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + 0.25 * x));
        }
    }
}
