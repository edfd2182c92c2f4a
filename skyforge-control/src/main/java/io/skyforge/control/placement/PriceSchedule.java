package io.skyforge.control.placement;

import io.skyforge.core.model.PriceWindow;
import io.skyforge.core.model.PricingSpec;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cloud's CPU price by hour of the UTC day: {@code cpuHour} unless a window covers the hour.
 * Windows are {@code [from, to)} in whole hours and may wrap midnight ({@code 22-06}); where
 * windows overlap the first listed wins, as the Cloud author reads the list top-down.
 */
public record PriceSchedule(double cpuHour, List<Window> windows) {

    private static final Pattern HOURS = Pattern.compile("(\\d{1,2})-(\\d{1,2})");

    /** One window; {@code from == to} is refused as ambiguous (all day or nothing?). */
    public record Window(int from, int to, double cpuHour) {

        public Window {
            if (from < 0 || from > 23 || to < 0 || to > 24 || from == to % 24 || !(cpuHour >= 0)) {
                throw new SkyforgeException(ErrorCode.VALIDATION, "bad price window " + from + "-" + to + " at " + cpuHour
                        + ": hours are 00-24 UTC, start != end, price >= 0");
            }
        }

        public boolean covers(int hour) {
            return from < to ? hour >= from && hour < to : hour >= from || hour < to;
        }

        public String hours() {
            return String.format("%02d-%02d", from, to);
        }
    }

    public PriceSchedule {
        if (!(cpuHour >= 0) || Double.isInfinite(cpuHour)) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "cpuHour must be a finite price >= 0, was " + cpuHour);
        }
        windows = List.copyOf(windows);
    }

    public static final PriceSchedule FREE = new PriceSchedule(0, List.of());

    /** From a Cloud's {@code spec.pricing}; no pricing at all is free (a local disk costs nothing extra). */
    public static PriceSchedule of(PricingSpec pricing) {
        if (pricing == null) {
            return FREE;
        }
        double base = pricing.cpuHour() == null ? 0 : pricing.cpuHour();
        List<Window> ws = new ArrayList<>();
        for (PriceWindow w : pricing.schedule()) {
            Matcher m = HOURS.matcher(Objects.requireNonNullElse(w.hours(), "").trim());
            if (!m.matches()) {
                throw new SkyforgeException(ErrorCode.VALIDATION,
                        "price window hours must be \"HH-HH\" (UTC, end exclusive, may wrap midnight), was \"" + w.hours() + "\"");
            }
            ws.add(new Window(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    w.cpuHour() == null ? base : w.cpuHour()));
        }
        return new PriceSchedule(base, ws);
    }

    /** The CPU-hour price in the given UTC hour (0-23). */
    public double priceAt(int hour) {
        for (Window w : windows) {
            if (w.covers(hour)) {
                return w.cpuHour();
            }
        }
        return cpuHour;
    }

    /** The window in force at the hour, or null when the base price applies. */
    public Window windowAt(int hour) {
        for (Window w : windows) {
            if (w.covers(hour)) {
                return w;
            }
        }
        return null;
    }
}
