package io.skyforge.control.placement;

/** Partitions {@code [first, first + count)} run on {@code cloud}. */
public record Share(String cloud, int first, int count) {

    public boolean contains(int partition) {
        return partition >= first && partition < first + count;
    }
}
