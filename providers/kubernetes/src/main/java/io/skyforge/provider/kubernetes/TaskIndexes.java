package io.skyforge.provider.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The task indexes of one job that one Kubernetes Job runs, ascending: completion index {@code i}
 * runs task {@code indexes.get(i)}. Usually {@code 0..n-1} (the whole job on one cloud), but a
 * split job gives each cloud a range further up, and a re-dispatch after a restart or a reroute
 * carries only the unfinished tasks, with gaps.
 */
public record TaskIndexes(List<Integer> indexes) {

    public TaskIndexes {
        indexes = List.copyOf(indexes);
        if (indexes.isEmpty()) {
            throw new IllegalArgumentException("no task indexes");
        }
        for (int i = 0; i < indexes.size(); i++) {
            if (indexes.get(i) < 0 || i > 0 && indexes.get(i) <= indexes.get(i - 1)) {
                throw new IllegalArgumentException("task indexes must be distinct, ascending and >= 0: " + indexes);
            }
        }
    }

    public static TaskIndexes of(Integer... indexes) {
        return new TaskIndexes(List.of(indexes));
    }

    /** {@code first .. first+count-1}. */
    public static TaskIndexes range(int first, int count) {
        List<Integer> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(first + i);
        }
        return new TaskIndexes(out);
    }

    public int count() {
        return indexes.size();
    }

    public int last() {
        return indexes.get(indexes.size() - 1);
    }

    /** True for {@code 0..n-1}: completion index and task index are then the same number. */
    public boolean isIdentity() {
        return last() == indexes.size() - 1;
    }

    /** The task that completion index {@code completionIndex} runs. */
    public int task(int completionIndex) {
        return indexes.get(completionIndex);
    }

    /** Space-separated, for a shell's {@code set --}. */
    public String spaced() {
        StringBuilder sb = new StringBuilder();
        for (int i : indexes) {
            sb.append(sb.length() == 0 ? "" : " ").append(i);
        }
        return sb.toString();
    }

    /** Kubernetes' compressed form, as in {@code status.completedIndexes}: {@code "0-3,7,9-10"}. */
    public String compressed() {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < indexes.size()) {
            int j = i;
            while (j + 1 < indexes.size() && indexes.get(j + 1) == indexes.get(j) + 1) {
                j++;
            }
            sb.append(sb.length() == 0 ? "" : ",").append(indexes.get(i));
            if (j > i) {
                sb.append('-').append(indexes.get(j));
            }
            i = j + 1;
        }
        return sb.toString();
    }

    /**
     * Reads the compressed form, keeping only numbers within {@code 0..bound-1}; anything unreadable
     * is skipped (status lists and annotations are read leniently: the task queue, not them, is the
     * record of what is done).
     */
    static List<Integer> parse(String text, int bound) {
        TreeSet<Integer> out = new TreeSet<>();
        if (text == null || text.isBlank()) {
            return List.of();
        }
        for (String part : text.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-');
                if (dash > 0) {
                    int from = Math.max(0, Integer.parseInt(p.substring(0, dash)));
                    int to = Math.min(bound - 1, Integer.parseInt(p.substring(dash + 1)));
                    for (int i = from; i <= to; i++) {
                        out.add(i);
                    }
                } else if (!p.isEmpty()) {
                    int i = Integer.parseInt(p);
                    if (i >= 0 && i < bound) {
                        out.add(i);
                    }
                }
            } catch (NumberFormatException unreadable) {
                continue;
            }
        }
        return new ArrayList<>(out);
    }
}
