package io.skyforge.sync.conflict;

import io.skyforge.sync.version.Version;
import java.time.Instant;
import java.util.Objects;

/**
 * Two versions of one key that did not follow each other met on some copy; {@code winner} was kept
 * under the key and {@code loser} was replaced (or, for a losing delete, undone).
 *
 * @param bucket     the logical bucket
 * @param foundOn    the cloud whose copy held the loser
 * @param keptAs     the key the losing content was copied to ({@code <key>.conflict-<cloud>-<hlc>}),
 *                   or null when losers are not kept or the loser was a delete
 */
public record ConflictRecord(String bucket, String key, Version winner, Version loser, String foundOn,
                             String keptAs, Instant detectedAt) {

    public ConflictRecord {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(winner, "winner");
        Objects.requireNonNull(loser, "loser");
        Objects.requireNonNull(foundOn, "foundOn");
        Objects.requireNonNull(detectedAt, "detectedAt");
        if (!winner.beats(loser)) {
            throw new IllegalArgumentException("the winner " + winner + " must order after the loser " + loser);
        }
    }

    /** The key under which a losing version is kept: {@code <key>.conflict-<cloud>-<hlc>}. */
    public static String keepKey(String key, Version loser) {
        return key + ".conflict-" + loser.origin() + "-" + loser.hlc().encode();
    }
}
