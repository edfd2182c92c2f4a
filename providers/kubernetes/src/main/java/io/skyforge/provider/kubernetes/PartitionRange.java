package io.skyforge.provider.kubernetes;

/**
 * The partitions of one job that placement gave one cloud: the contiguous task indexes
 * {@code first .. first+count-1} (placement assigns each cloud one contiguous share). Completion
 * index {@code i} of the cloud's Indexed Job runs partition {@code first + i}.
 */
public record PartitionRange(int first, int count) {

    public PartitionRange {
        if (first < 0 || count < 1) {
            throw new IllegalArgumentException("partitions " + first + " + " + count);
        }
    }

    public int last() {
        return first + count - 1;
    }

    public boolean contains(int partition) {
        return partition >= first && partition <= last();
    }
}
