package io.skyforge.control.placement;

import java.util.List;

/** One filter's verdict on one cloud, with the reason a user reads in {@code skyforge explain job}. */
public record FilterVerdict(String filter, boolean passed, String reason) {

    public static final String READY = "ready";
    public static final String RESIDENCY = "residency";
    public static final String PIN = "pin";
    public static final String CLUSTER = "cluster";
    public static final String JOB_TYPE = "job-type";
    public static final String CAPACITY = "capacity";

    /** Evaluation (and display) order. */
    public static final List<String> FILTERS = List.of(READY, RESIDENCY, PIN, CLUSTER, JOB_TYPE, CAPACITY);

    static FilterVerdict pass(String filter, String reason) {
        return new FilterVerdict(filter, true, reason);
    }

    static FilterVerdict fail(String filter, String reason) {
        return new FilterVerdict(filter, false, reason);
    }
}
