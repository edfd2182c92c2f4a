package io.skyforge.control.placement;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one Cloud as placement sees it.
 *
 * @param readyReason  why the cloud is (not) Ready, from its {@code Ready} condition
 * @param jurisdiction the {@code jurisdiction} label, lower case; null when the cloud has none
 * @param computeType  {@code local}, {@code worker} or {@code kubernetes}; null when the cloud has no compute
 * @param slots        how many tasks the cloud runs at once
 * @param running      tasks running or claimed there now (all jobs)
 * @param egressGb     price of one GB leaving this cloud
 * @param noWorkers    for {@code compute.type: worker}: why no worker process can take a task now
 *                     ({@code no live workers (last seen ...)}, from the Cloud's {@code Workers}
 *                     condition); null when workers are live, or the cloud's compute needs none
 */
public record CloudCandidate(
        String name,
        boolean ready,
        String readyReason,
        String jurisdiction,
        String region,
        Map<String, String> labels,
        String computeType,
        int slots,
        int running,
        PriceSchedule prices,
        double egressGb,
        String currency,
        String noWorkers) {

    /** A cloud whose compute needs no worker processes, or whose workers are live. */
    public CloudCandidate(String name, boolean ready, String readyReason, String jurisdiction, String region,
                          Map<String, String> labels, String computeType, int slots, int running, PriceSchedule prices,
                          double egressGb, String currency) {
        this(name, ready, readyReason, jurisdiction, region, labels, computeType, slots, running, prices, egressGb, currency,
                null);
    }

    public CloudCandidate {
        Objects.requireNonNull(name, "name");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        prices = prices == null ? PriceSchedule.FREE : prices;
        currency = currency == null || currency.isBlank() ? "USD" : currency;
        jurisdiction = jurisdiction == null || jurisdiction.isBlank() ? null : jurisdiction.trim().toLowerCase(java.util.Locale.ROOT);
        if (slots < 0 || running < 0 || !(egressGb >= 0) || Double.isInfinite(egressGb)) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "cloud " + name + ": slots, running and egress price must be >= 0");
        }
    }

    /** Free slots, never negative (running may exceed slots after a cloud shrinks). */
    public int free() {
        return Math.max(0, slots - running);
    }

    public CloudCandidate withRunning(int newRunning) {
        return new CloudCandidate(name, ready, readyReason, jurisdiction, region, labels, computeType, slots, newRunning,
                prices, egressGb, currency, noWorkers);
    }
}
