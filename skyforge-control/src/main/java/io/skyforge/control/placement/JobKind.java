package io.skyforge.control.placement;

/** What a job runs: the built-in generator (any compute backend) or a user image (Kubernetes only). */
public enum JobKind {
    GENERATE,
    CONTAINER
}
