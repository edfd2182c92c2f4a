package io.skyforge.control.placement;

import java.time.Instant;
import java.util.List;

/**
 * A later start found in the clouds' price schedules that would cost less than starting now.
 *
 * @param at       when the cheaper start is (a window boundary, on the hour, UTC)
 * @param clouds   where the job would run then
 * @param costNow  estimated cost of starting now on the clouds chosen for now
 * @param costThen estimated cost of starting at {@code at}
 * @param waited   whether the decision waits for it (a batch job, saving above the threshold)
 * @param note     why it waits or not
 */
public record CheaperWindow(
        Instant at,
        List<String> clouds,
        double costNow,
        double costThen,
        double saving,
        boolean waited,
        String note) {

    public CheaperWindow {
        clouds = List.copyOf(clouds);
    }
}
