package io.skyforge.spi.error;

/** Who is at fault, which decides the HTTP status family and whether a retry can help. */
public enum ErrorType {
    /** The caller sent something wrong; retrying the same request fails the same way. */
    USER,
    /** A bug or broken invariant inside Skyforge. */
    INTERNAL,
    /** A cloud, database or other system outside Skyforge failed or refused. */
    EXTERNAL
}
