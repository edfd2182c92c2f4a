package io.skyforge.spi.storage;

/**
 * One page request of a listing.
 *
 * @param prefix    only keys starting with it; empty for all
 * @param delimiter null for a flat listing, or {@code "/"} to roll keys up to "directories"
 *                  ({@link ListPage#commonPrefixes()})
 * @param token     the previous page's {@link ListPage#nextToken()}, or null for the first page
 * @param maxKeys   at most this many entries (objects plus common prefixes), 1..1000
 */
public record ListRequest(String prefix, String delimiter, String token, int maxKeys) {

    public static final int DEFAULT_MAX_KEYS = 1000;

    public ListRequest {
        prefix = prefix == null ? "" : prefix;
        if (delimiter != null && !delimiter.equals("/")) {
            throw new IllegalArgumentException("only '/' is supported as a delimiter: " + delimiter);
        }
        if (maxKeys < 1 || maxKeys > DEFAULT_MAX_KEYS) {
            throw new IllegalArgumentException("maxKeys must be 1.." + DEFAULT_MAX_KEYS + ": " + maxKeys);
        }
    }

    public static ListRequest prefix(String prefix) {
        return new ListRequest(prefix, null, null, DEFAULT_MAX_KEYS);
    }

    public ListRequest withToken(String v) {
        return new ListRequest(prefix, delimiter, v, maxKeys);
    }

    public ListRequest withMaxKeys(int v) {
        return new ListRequest(prefix, delimiter, token, v);
    }

    public ListRequest withDelimiter(String v) {
        return new ListRequest(prefix, v, token, maxKeys);
    }
}
