package io.skyforge.spi.storage;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The portable rules for keys, bucket names and user metadata: the intersection of what S3, Azure
 * Blob and a POSIX directory tree can all store and give back unchanged. Checking them here, before
 * any I/O, makes every adapter refuse the same inputs with the same code.
 */
public final class ObjectKeys {

    /** S3's and Azure's key limit, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    /** S3 counts keys and values of user metadata together against 2 KiB. */
    public static final int MAX_METADATA_BYTES = 2048;
    /** Metadata names with this prefix belong to the adapters (e.g. the stored SHA-256). */
    public static final String RESERVED_METADATA_PREFIX = "skyforge_";

    // Azure metadata names must be C# identifiers and S3 lower-cases them: lower-case identifiers survive both.
    private static final Pattern METADATA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,127}");
    // The intersection of S3 (no dots, so virtual-host TLS works) and Azure container naming.
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]");

    /**
     * The order of listings ({@link ListPage#objects()}): by the keys' UTF-8 bytes, as S3 and Azure sort them. It
     * differs from {@link String#compareTo} only where a character above U+FFFF (a surrogate pair in UTF-16) meets
     * one in U+E000..U+FFFF; compared char by char, so nothing is encoded.
     */
    public static final Comparator<String> UTF8_ORDER = ObjectKeys::compareUtf8;

    private ObjectKeys() {
    }

    private static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                // A surrogate stands for a code point above U+FFFF, so it sorts after every other UTF-16 unit; two of
                // them at the same place are both high (or both low) surrogates, which sort like their code points.
                boolean sx = Character.isSurrogate(x);
                if (sx != Character.isSurrogate(y)) {
                    return sx ? 1 : -1;
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    /**
     * A key is 1..1024 UTF-8 bytes of '/'-separated non-empty segments, none of them {@code .} or
     * {@code ..}, without control characters, backslashes or unpaired surrogates. Anything else (spaces, {@code +},
     * {@code %}, {@code #}, {@code ?}, any Unicode) is an ordinary character. Fails with {@code SF-INVALID-KEY}.
     */
    public static String validateKey(String key) {
        return validateKey(key, MAX_KEY_BYTES);
    }

    public static String validateKey(String key, int maxBytes) {
        if (key == null || key.isEmpty()) {
            throw invalidKey(key, "a key must not be empty");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw invalidKey(key, "a key must not contain control characters (found U+"
                        + String.format("%04X", (int) c) + " at index " + i + ")");
            }
            if (c == '\\') {
                throw invalidKey(key, "a key must not contain '\\' (Azure Blob turns it into '/')");
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
                    throw invalidKey(key, "a key must be valid Unicode (unpaired surrogate at index " + i + ")");
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw invalidKey(key, "a key must be valid Unicode (unpaired surrogate at index " + i + ")");
            }
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw invalidKey(key, "a key must be at most " + maxBytes + " bytes in UTF-8, this one has " + bytes);
        }
        if (key.startsWith("/")) {
            throw invalidKey(key, "a key must not start with '/'");
        }
        if (key.endsWith("/")) {
            throw invalidKey(key, "a key must not end with '/' (directory markers are not objects)");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()) {
                throw invalidKey(key, "a key must not contain '//'");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw invalidKey(key, "a key must not contain '.' or '..' segments");
            }
        }
        return key;
    }

    /** Portable bucket names: 3..63 of {@code a-z 0-9 -}, starting and ending alphanumeric, no {@code --}. */
    public static String validateBucket(String bucket) {
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            String msg = "invalid bucket name '" + bucket + "': use 3 to 63 characters a-z, 0-9 and '-', "
                    + "starting and ending with a letter or digit, without '--'";
            throw new SkyforgeException(ErrorCode.VALIDATION, msg, List.of(Violation.at("bucket", msg)));
        }
        return bucket;
    }

    /**
     * User metadata names are lower-case identifiers ({@code [a-z_][a-z0-9_]*}) not starting with
     * {@value #RESERVED_METADATA_PREFIX}; values are printable ASCII without leading or trailing
     * spaces; names and values together at most 2 KiB. Fails with {@code SF-VALIDATION}.
     */
    public static Map<String, String> validateMetadata(Map<String, String> metadata) {
        int total = 0;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (!METADATA_NAME.matcher(name).matches()) {
                throw invalidMetadata(name, "metadata names must match [a-z_][a-z0-9_]* (Azure accepts only identifiers)");
            }
            if (name.startsWith(RESERVED_METADATA_PREFIX)) {
                throw invalidMetadata(name, "metadata names starting with '" + RESERVED_METADATA_PREFIX + "' are reserved");
            }
            if (value == null) {
                throw invalidMetadata(name, "metadata values must not be null");
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 || c > 0x7e) {
                    throw invalidMetadata(name, "metadata values must be printable ASCII (HTTP headers carry them)");
                }
            }
            if (!value.equals(value.strip())) {
                throw invalidMetadata(name, "metadata values must not start or end with spaces (HTTP trims them)");
            }
            total += name.length() + value.length();
        }
        if (total > MAX_METADATA_BYTES) {
            throw new SkyforgeException(ErrorCode.VALIDATION,
                    "user metadata is " + total + " bytes, at most " + MAX_METADATA_BYTES + " are portable");
        }
        return metadata;
    }

    private static SkyforgeException invalidKey(String key, String message) {
        return new SkyforgeException(ErrorCode.INVALID_KEY, message + ": " + abbreviate(key));
    }

    private static SkyforgeException invalidMetadata(String name, String message) {
        String msg = message + ": '" + abbreviate(name) + "'";
        return new SkyforgeException(ErrorCode.VALIDATION, msg, List.of(Violation.at("metadata." + abbreviate(name), msg)));
    }

    /** Keys can be 1 KiB; messages quote the start and the length. */
    static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 80 ? "'" + printable + "'"
                : "'" + printable.substring(0, 60) + "...' (" + s.length() + " chars)";
    }
}
