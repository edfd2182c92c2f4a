package io.skyforge.control.placement;

/** What the controller should do with a decision. */
public enum Outcome {
    /** Start now on the winner(s) with the assignment. */
    PLACED,
    /** A batch job: nothing starts before {@code startAt}; place again then (loads will have changed). */
    WAITING,
    /** Some clouds are allowed but all are full: place again when a slot frees. */
    QUEUED,
    /** No cloud may run the job now (not ready, residency, job type, cluster); the reasons say which. */
    UNSCHEDULABLE
}
