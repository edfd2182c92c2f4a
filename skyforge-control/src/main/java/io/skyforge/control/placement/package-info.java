/**
 * Placement of DataJobs on clouds: pure functions from a {@link io.skyforge.control.placement.PlacementRequest}
 * and a snapshot of {@link io.skyforge.control.placement.CloudCandidate}s to an explainable
 * {@link io.skyforge.control.placement.PlacementDecision}. No I/O, no clock of its own: the caller passes
 * "now", so the same inputs always give the same decision. The rules are documented in docs/placement.md.
 */
package io.skyforge.control.placement;
