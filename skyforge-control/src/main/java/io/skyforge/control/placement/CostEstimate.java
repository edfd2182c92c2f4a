package io.skyforge.control.placement;

/**
 * What the whole job would cost on one cloud if it started at the decision's start time: CPU at
 * the price in force then, plus egress of the output to every copy of the bucket on other clouds.
 * Kept as numbers (not text) so the controller can put them in the job's status and the explain
 * renderer formats them.
 *
 * @param window       the price window in force ({@code "22-06"}), or null for the base price
 * @param egressCopies copies of the output bucket not on this cloud
 */
public record CostEstimate(
        double total,
        double cpuHours,
        double cpuHourPrice,
        String window,
        double egress,
        int egressCopies,
        double outputGb,
        double egressGbPrice,
        String currency) {
}
