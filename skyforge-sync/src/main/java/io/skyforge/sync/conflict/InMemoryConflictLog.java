package io.skyforge.sync.conflict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link ConflictLog} in memory; records are lost with the process. */
public final class InMemoryConflictLog implements ConflictLog {

    private final Map<String, ConflictRecord> records = new LinkedHashMap<>();

    @Override
    public synchronized boolean record(ConflictRecord r) {
        return records.putIfAbsent(r.bucket() + "\n" + r.key() + "\n" + r.loser().id(), r) == null;
    }

    @Override
    public synchronized List<ConflictRecord> list(String bucket) {
        List<ConflictRecord> out = new ArrayList<>();
        for (ConflictRecord r : records.values()) {
            if (r.bucket().equals(bucket)) {
                out.add(r);
            }
        }
        return out;
    }
}
