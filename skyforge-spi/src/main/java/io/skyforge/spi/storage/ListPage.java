package io.skyforge.spi.storage;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param objects        keys in ascending UTF-8 byte order
 * @param commonPrefixes with a delimiter: the "directories" ({@code a/b/}) under the prefix, ascending
 * @param nextToken      pass it to {@link ListRequest#withToken} for the next page; null on the last page
 */
public record ListPage(List<ObjectSummary> objects, List<String> commonPrefixes, String nextToken) {

    public ListPage {
        objects = List.copyOf(objects);
        commonPrefixes = commonPrefixes == null ? List.of() : List.copyOf(commonPrefixes);
    }

    public boolean hasMore() {
        return nextToken != null;
    }
}
