package io.skyforge.server.data;

import io.skyforge.control.bucket.CopySelector.Copy;
import io.skyforge.core.codec.Json;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ListPage;
import io.skyforge.spi.storage.ListRequest;
import io.skyforge.spi.storage.ObjectKeys;
import io.skyforge.spi.storage.ObjectSummary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One page of a logical bucket's listing: the union of its copies' listings, merged in key order
 * with duplicates shown once (from the preferred copy). Until the sync engine has replicated a
 * write, only the copy that took it holds the key, so listing a single copy would hide objects
 * depending on which copy answered.
 *
 * <p>The continue token carries the last key returned and, per copy, the backend token of the page
 * that still holds unreturned entries; the next request re-reads that page and skips what was
 * already returned.
 */
final class MergedListing {

    /** S3 and Azure order keys by their UTF-8 bytes, which differs from String order above U+FFFF. */
    static final Comparator<String> UTF8_ORDER = ObjectKeys.UTF8_ORDER;

    /** A listed entry: an object, or (with a delimiter) a rolled-up prefix. */
    record Entry(String key, ObjectSummary object, String cloud) {
    }

    record Result(List<Entry> entries, String continueToken, List<String> unavailable) {
    }

    private static final class Cursor {
        final Copy copy;
        String pageToken;
        ListPage page;
        List<Entry> buffer = new ArrayList<>();
        int index;
        boolean exhausted;

        Cursor(Copy copy, String pageToken) {
            this.copy = copy;
            this.pageToken = pageToken;
        }
    }

    private MergedListing() {
    }

    static Result page(List<Copy> copies, String prefix, String delimiter, int max, String continueToken) {
        String after = null;
        Map<String, String> tokens = new LinkedHashMap<>();
        List<String> done = new ArrayList<>();
        boolean resumed = continueToken != null && !continueToken.isEmpty();
        if (resumed) {
            JsonNode t = decode(continueToken);
            after = t.path("after").asString(null);
            t.path("t").properties().forEach(e -> tokens.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asString()));
            t.path("done").forEach(d -> done.add(d.asString()));
        }
        List<Cursor> cursors = new ArrayList<>();
        for (Copy c : copies) {
            if (resumed && (done.contains(c.cloud()) || !tokens.containsKey(c.cloud()))) {
                continue; // exhausted earlier, or joined after the listing began: its keys would break the order
            }
            if (cursors.stream().noneMatch(k -> k.copy.cloud().equals(c.cloud()))) {
                cursors.add(new Cursor(c, tokens.get(c.cloud())));
            }
        }
        List<String> unavailable = new ArrayList<>();
        List<Entry> out = new ArrayList<>();
        String last = after;
        while (out.size() < max) {
            Entry smallest = null;
            for (Cursor k : cursors) {
                Entry head = head(k, after, prefix, delimiter, max, unavailable);
                if (head != null && (smallest == null || UTF8_ORDER.compare(head.key(), smallest.key()) < 0)) {
                    smallest = head;
                }
            }
            if (smallest == null) {
                break;
            }
            out.add(smallest);
            last = smallest.key();
            for (Cursor k : cursors) {
                Entry head = head(k, after, prefix, delimiter, max, unavailable);
                if (head != null && head.key().equals(smallest.key())) {
                    k.index++;
                }
            }
        }
        boolean more = false;
        ObjectNode next = Json.MAPPER.createObjectNode();
        next.put("after", last);
        ObjectNode t = next.putObject("t");
        var d = next.putArray("done");
        for (Cursor k : cursors) {
            if (!k.exhausted && head(k, last, prefix, delimiter, max, unavailable) != null) {
                more = true;
                if (k.pageToken == null) {
                    t.putNull(k.copy.cloud());
                } else {
                    t.put(k.copy.cloud(), k.pageToken);
                }
            } else {
                d.add(k.copy.cloud());
            }
        }
        String token = more ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString(next.toString().getBytes(StandardCharsets.UTF_8)) : null;
        return new Result(out, token, unavailable);
    }

    /** The cursor's next entry after {@code after}, loading pages as needed; null when it has none. */
    private static Entry head(Cursor k, String after, String prefix, String delimiter, int max, List<String> unavailable) {
        while (!k.exhausted) {
            if (k.page == null) {
                try {
                    k.page = k.copy.store().list(k.copy.physicalBucket(), new ListRequest(prefix, delimiter, k.pageToken, max));
                } catch (SkyforgeException e) {
                    if (e.code() == ErrorCode.VALIDATION || e.code() == ErrorCode.INVALID_KEY) {
                        throw e;
                    }
                    unavailable.add(k.copy.cloud() + " (" + e.code().code() + ")");
                    k.exhausted = true;
                    return null;
                }
                k.buffer = entries(k.page, k.copy.cloud());
                k.index = 0;
            }
            while (k.index < k.buffer.size()) {
                Entry e = k.buffer.get(k.index);
                if (after == null || UTF8_ORDER.compare(e.key(), after) > 0) {
                    return e;
                }
                k.index++;
            }
            if (k.page.nextToken() == null) {
                k.exhausted = true;
                return null;
            }
            k.pageToken = k.page.nextToken();
            k.page = null;
        }
        return null;
    }

    private static List<Entry> entries(ListPage page, String cloud) {
        List<Entry> all = new ArrayList<>(page.objects().size() + page.commonPrefixes().size());
        for (ObjectSummary s : page.objects()) {
            all.add(new Entry(s.key(), s, cloud));
        }
        for (String p : page.commonPrefixes()) {
            all.add(new Entry(p, null, cloud));
        }
        all.sort(Comparator.comparing(Entry::key, UTF8_ORDER));
        return all;
    }

    private static JsonNode decode(String token) {
        try {
            return Json.MAPPER.readTree(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | JacksonException e) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "continue is not a token this API handed out");
        }
    }
}
