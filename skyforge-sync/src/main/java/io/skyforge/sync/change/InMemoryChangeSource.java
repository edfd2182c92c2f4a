package io.skyforge.sync.change;

import java.util.ArrayList;
import java.util.List;

/**
 * A change feed held in memory, for a single-process deployment and for tests; the cursor is the
 * position in the log. A control plane with a database journal implements {@link ChangeSource} over it.
 */
public final class InMemoryChangeSource implements ChangeSource {

    private final List<ChangeEvent> log = new ArrayList<>();

    public synchronized void append(ChangeEvent event) {
        log.add(event);
    }

    public synchronized int size() {
        return log.size();
    }

    @Override
    public synchronized Batch poll(String cursor, int max) {
        int from = cursor == null ? 0 : Integer.parseInt(cursor);
        int to = Math.min(log.size(), from + max);
        return new Batch(new ArrayList<>(log.subList(from, to)), Integer.toString(to));
    }
}
