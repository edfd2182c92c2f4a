package io.skyforge.sync.replication;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped per-key locks: a user write through {@link BucketWriter} and the replication of the same key
 * never interleave in this process, so a replication write cannot overwrite a user write it has not
 * seen (the stores without conditional writes could not refuse it).
 */
final class KeyLocks {

    private final ReentrantLock[] stripes;

    KeyLocks(int count) {
        stripes = new ReentrantLock[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    ReentrantLock forKey(String key) {
        int h = key.hashCode();
        h ^= h >>> 16;
        return stripes[Math.floorMod(h, stripes.length)];
    }
}
