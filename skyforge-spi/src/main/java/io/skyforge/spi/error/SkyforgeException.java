package io.skyforge.spi.error;

import java.util.List;
import java.util.Objects;

/**
 * The one exception type of Skyforge. It carries a stable {@link ErrorCode} and, for input errors,
 * every {@link Violation} found, so a user sees all problems at once.
 */
public class SkyforgeException extends RuntimeException {

    private final ErrorCode code;
    private final List<Violation> violations;

    public SkyforgeException(ErrorCode code, String message) {
        this(code, message, List.of(), null);
    }

    public SkyforgeException(ErrorCode code, String message, Throwable cause) {
        this(code, message, List.of(), cause);
    }

    public SkyforgeException(ErrorCode code, String message, List<Violation> violations) {
        this(code, message, violations, null);
    }

    public SkyforgeException(ErrorCode code, String message, List<Violation> violations, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.violations = List.copyOf(violations);
    }

    public ErrorCode code() {
        return code;
    }

    public List<Violation> violations() {
        return violations;
    }

    public boolean retryable() {
        return code.retryable();
    }

    /** One line for a terminal: code, message and the first violation when there is one. */
    @Override
    public String toString() {
        return code.code() + ": " + getMessage();
    }
}
