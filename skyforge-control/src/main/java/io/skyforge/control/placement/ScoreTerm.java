package io.skyforge.control.placement;

/**
 * One term of a cloud's score.
 *
 * @param value        normalised to [0, 1], higher is better
 * @param weight       the policy's weight (weights sum to 1)
 * @param contribution {@code value * weight}; a cloud's score is the sum of its contributions
 * @param detail       the raw figure behind the value, e.g. {@code 12.40 USD (…)} or {@code 3/8 busy}
 */
public record ScoreTerm(String name, double value, double weight, double contribution, String detail) {
}
