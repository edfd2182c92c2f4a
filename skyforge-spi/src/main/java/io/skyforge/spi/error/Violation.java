package io.skyforge.spi.error;

import java.util.Objects;

/**
 * One problem found in a user's input: where it is (source, field path, 1-based line and column,
 * 0 when unknown) and what is wrong.
 */
public record Violation(String source, String path, int line, int column, String message) {

    public Violation {
        Objects.requireNonNull(message, "message");
        path = path == null ? "" : path;
        source = source == null ? "" : source;
    }

    public static Violation at(String path, String message) {
        return new Violation("", path, 0, 0, message);
    }

    /** {@code file:line:col: path: message}, the shape compilers use, so editors can jump to it. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (!source.isEmpty()) {
            sb.append(source).append(':');
        }
        if (line > 0) {
            sb.append(line).append(':').append(column).append(':');
        }
        if (sb.length() > 0) {
            sb.append(' ');
        }
        if (!path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }
}
