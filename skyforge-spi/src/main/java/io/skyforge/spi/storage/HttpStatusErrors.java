package io.skyforge.spi.storage;

import io.skyforge.spi.error.ErrorCode;

/**
 * The error code an HTTP status stands for when a backend's answer carries no error code of its own
 * that an adapter recognises: the fallback every HTTP-speaking adapter shares. Adapters check the
 * statuses their backend gives a narrower meaning (S3's 501, Azure's 409) before asking here.
 */
public final class HttpStatusErrors {

    private HttpStatusErrors() {
    }

    public static ErrorCode code(int status) {
        return switch (status) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 401, 403 -> ErrorCode.ACCESS_DENIED;
            case 412 -> ErrorCode.PRECONDITION_FAILED;
            case 416 -> ErrorCode.VALIDATION;
            case 429 -> ErrorCode.THROTTLED;
            default -> status >= 500 ? ErrorCode.UNAVAILABLE : ErrorCode.EXTERNAL;
        };
    }
}
