package io.skyforge.schema.load;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a part again when the database chose it as a deadlock victim or failed its serialization.
 * Parts load in parallel and InnoDB's gap and foreign-key locks can make two of them deadlock (seen
 * in MariaDbRoundTripIT); a part is one transaction that the database rolled back whole, and its
 * rows are a pure function of the spec, so running it again is exactly the lost work.
 */
final class TransientRetry {

    static final int ATTEMPTS = 5;

    private TransientRetry() {
    }

    static <T> T call(Callable<T> part) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return part.call();
            } catch (Exception e) {
                if (attempt == ATTEMPTS || !isTransient(e)) {
                    throw e;
                }
                sleep(attempt);
            }
        }
    }

    /** SQLSTATE class 40 is "transaction rollback": 40001 serialization failure (MySQL/MariaDB deadlock), 40P01 PostgreSQL deadlock. */
    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    if (s.getSQLState() != null && s.getSQLState().startsWith("40")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static void sleep(int attempt) {
        long base = 50L << (attempt - 1);
        try {
            Thread.sleep(base + ThreadLocalRandom.current().nextLong(base));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SkyforgeException(ErrorCode.INTERNAL, "interrupted while waiting to retry a part", e);
        }
    }
}
