package io.skyforge.control.placement;

import java.util.List;

/**
 * Everything placement found about one cloud. Clouds that fail a filter have no terms, score or rank.
 *
 * @param freeSlots     free slots for this job (the cloud's, capped by the LogicalCluster member's)
 * @param estimatedCost what the whole job would cost on this cloud at the decision's start time
 * @param rank          1 for the best eligible cloud
 */
public record CandidateReport(
        String cloud,
        boolean eligible,
        List<FilterVerdict> filters,
        List<ScoreTerm> terms,
        Double score,
        Integer rank,
        Double estimatedCost,
        int freeSlots) {

    public CandidateReport {
        filters = List.copyOf(filters);
        terms = terms == null ? List.of() : List.copyOf(terms);
    }
}
