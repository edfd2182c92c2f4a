package io.skyforge.testkit.storage;

import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/**
 * Starts a service a test needs. When it cannot be started the test fails with the message saying how
 * to provide it, unless {@code -Dskyforge.skipServices=true} (a developer's laptop; CI never sets it),
 * in which case the test is skipped.
 */
public final class RequiredServices {

    private RequiredServices() {
    }

    public static boolean skipAllowed() {
        return Boolean.getBoolean("skyforge.skipServices");
    }

    public static <T> T start(String what, Supplier<T> starter) {
        try {
            return starter.get();
        } catch (RuntimeException e) {
            if (skipAllowed()) {
                Assumptions.abort(what + " unavailable and skyforge.skipServices=true: " + e.getMessage());
            }
            throw new IllegalStateException(what + " is required for this test and could not be started: " + e.getMessage(), e);
        }
    }
}
