package io.skyforge.spi.error;

/**
 * The one catalogue of stable error codes (documented in docs/errors.md). The string {@link #code()}
 * is the contract: clients match on it, so a code is never renamed or reused.
 */
public enum ErrorCode {
    PARSE("SF-PARSE", ErrorType.USER, false),
    VALIDATION("SF-VALIDATION", ErrorType.USER, false),
    UNKNOWN_KIND("SF-UNKNOWN-KIND", ErrorType.USER, false),
    TOO_LARGE("SF-TOO-LARGE", ErrorType.USER, false),
    MISSING_VARIABLE("SF-MISSING-VARIABLE", ErrorType.USER, false),
    NOT_FOUND("SF-NOT-FOUND", ErrorType.USER, false),
    ALREADY_EXISTS("SF-ALREADY-EXISTS", ErrorType.USER, false),
    CONFLICT("SF-CONFLICT", ErrorType.USER, false),
    /** A watch asked to resume after a resourceVersion whose events were pruned: list again (HTTP 410). */
    GONE("SF-GONE", ErrorType.USER, false),
    PRECONDITION_FAILED("SF-PRECONDITION-FAILED", ErrorType.USER, false),
    UNAUTHORIZED("SF-UNAUTHORIZED", ErrorType.USER, false),
    FORBIDDEN("SF-FORBIDDEN", ErrorType.USER, false),
    METHOD_NOT_ALLOWED("SF-METHOD-NOT-ALLOWED", ErrorType.USER, false),
    UNSUPPORTED_MEDIA_TYPE("SF-UNSUPPORTED-MEDIA-TYPE", ErrorType.USER, false),
    UNSUPPORTED("SF-UNSUPPORTED", ErrorType.USER, false),
    RESIDENCY("SF-RESIDENCY", ErrorType.USER, false),
    INVALID_KEY("SF-INVALID-KEY", ErrorType.USER, false),
    BUCKET_NOT_FOUND("SF-BUCKET-NOT-FOUND", ErrorType.USER, false),
    /** An upload whose body ended before its declared length (or broke off): nothing was stored. */
    INCOMPLETE_BODY("SF-INCOMPLETE-BODY", ErrorType.USER, true),
    /** A byte range that starts past the end of the object (HTTP 416). */
    RANGE_NOT_SATISFIABLE("SF-RANGE-NOT-SATISFIABLE", ErrorType.USER, false),
    SPEC("SF-SPEC", ErrorType.USER, false),
    ACCESS_DENIED("SF-ACCESS-DENIED", ErrorType.EXTERNAL, false),
    THROTTLED("SF-THROTTLED", ErrorType.EXTERNAL, true),
    UNAVAILABLE("SF-UNAVAILABLE", ErrorType.EXTERNAL, true),
    EXTERNAL("SF-EXTERNAL", ErrorType.EXTERNAL, false),
    IO("SF-IO", ErrorType.EXTERNAL, true),
    TIMEOUT("SF-TIMEOUT", ErrorType.USER, true),
    INTERNAL("SF-INTERNAL", ErrorType.INTERNAL, false);

    private final String code;
    private final ErrorType type;
    private final boolean retryable;

    ErrorCode(String code, ErrorType type, boolean retryable) {
        this.code = code;
        this.type = type;
        this.retryable = retryable;
    }

    public String code() {
        return code;
    }

    public ErrorType type() {
        return type;
    }

    public boolean retryable() {
        return retryable;
    }

    public static ErrorCode fromCode(String code) {
        for (ErrorCode c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        return INTERNAL;
    }
}
