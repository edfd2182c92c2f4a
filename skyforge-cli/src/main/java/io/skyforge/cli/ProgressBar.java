package io.skyforge.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line transfer progress bar on stderr, redrawn at most ten times a second. Disabled (every
 * call a no-op) unless the CLI runs on a terminal, so pipes and logs never see carriage returns.
 */
final class ProgressBar {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final boolean enabled;
    private final long started = System.nanoTime();
    private long done;
    private long lastDraw;

    /**
     * @param total bytes expected, or -1 when unknown (then only the count and rate are shown)
     */
    ProgressBar(PrintWriter err, String label, long total, boolean enabled) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.enabled = enabled;
    }

    /** True when stdout and stdin are a terminal (what {@link System#console()} tells on Java 17). */
    static boolean onTerminal() {
        return System.console() != null;
    }

    synchronized void add(long bytes) {
        done += bytes;
        long now = System.nanoTime();
        if (enabled && now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            err.print('\r' + line(now));
            err.flush();
        }
    }

    synchronized void finish() {
        if (enabled) {
            err.print('\r' + line(System.nanoTime()) + '\n');
            err.flush();
        }
    }

    String line(long now) {
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        String rate = size((long) (done / seconds)) + "/s";
        if (total <= 0) {
            return String.format(Locale.ROOT, "%s %s %s", label, size(done), rate);
        }
        int filled = (int) Math.min(WIDTH, done * WIDTH / total);
        return String.format(Locale.ROOT, "%s [%s%s] %3d%% %s/%s %s", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                Math.min(100, done * 100 / total), size(done), size(total), rate);
    }

    static String size(long bytes) {
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
}
