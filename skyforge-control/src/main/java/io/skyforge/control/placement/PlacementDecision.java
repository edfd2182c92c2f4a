package io.skyforge.control.placement;

import io.skyforge.core.codec.Json;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The full, explainable result of placing one job: every candidate with each filter verdict and
 * score term, the winner(s) and which partitions go where. A plain record tree, so the controller
 * stores it as JSON in the job's {@code status.placement} ({@link #toJson}) and {@code skyforge
 * explain job} reads it back ({@link #fromJson}) and prints it with {@link PlacementExplainer}.
 *
 * @param startAt        when the job should start: {@code decidedAt}, or later for {@link Outcome#WAITING}
 * @param winners        clouds that get partitions, best first; empty unless PLACED or WAITING
 * @param assignment     contiguous partition ranges per winner, covering 0..partitions-1
 * @param estimatedCost  cost of the assignment at {@code startAt}; null when nothing was placed
 * @param residency      the residency rules that applied, as "source → allowed"
 * @param cheaperWindow  a cheaper later start if the schedules have one, taken or not; else null
 * @param reason         one paragraph: the outcome and why
 * @param candidates     every cloud, by name
 */
public record PlacementDecision(
        String job,
        Instant decidedAt,
        Outcome outcome,
        String priority,
        String policy,
        Weights weights,
        int partitions,
        boolean allowSplit,
        Instant startAt,
        List<String> winners,
        List<Share> assignment,
        Double estimatedCost,
        String currency,
        List<String> residency,
        CheaperWindow cheaperWindow,
        String reason,
        List<CandidateReport> candidates) {

    public PlacementDecision {
        winners = List.copyOf(winners);
        assignment = List.copyOf(assignment);
        residency = List.copyOf(residency);
        candidates = List.copyOf(candidates);
    }

    /** The cloud partition {@code k} runs on, or null when the job is not placed. */
    public String cloudFor(int partition) {
        for (Share s : assignment) {
            if (s.contains(partition)) {
                return s.cloud();
            }
        }
        return null;
    }

    public CandidateReport candidate(String cloud) {
        return candidates.stream().filter(c -> c.cloud().equals(cloud)).findFirst().orElse(null);
    }

    public ObjectNode toJson() {
        return Json.MAPPER.valueToTree(this);
    }

    public static PlacementDecision fromJson(tools.jackson.databind.JsonNode node) {
        return Json.MAPPER.treeToValue(node, PlacementDecision.class);
    }
}
