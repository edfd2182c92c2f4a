package io.skyforge.spi.tabular;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.sql.SQLException;

/**
 * Turns driver exceptions into the catalogue's codes by SQLSTATE class, the one part of a driver
 * error that is standard across engines. Messages never include a password: drivers do not echo
 * it, and we add only the redacted URL.
 */
public final class JdbcErrors {

    private JdbcErrors() {
    }

    /** For a failure while connecting. */
    public static SkyforgeException connect(ConnectionConfig config, SQLException e) {
        String state = state(e);
        String where = config.safeUrl() + (config.user() == null ? "" : " as " + config.user());
        if (state.startsWith("28") || e.getErrorCode() == 1045) {
            return new SkyforgeException(ErrorCode.UNAUTHORIZED, "cannot log in to " + where
                    + ": the user name or password was rejected (" + firstLine(e) + ")", e);
        }
        if (state.equals("3D000") || e.getErrorCode() == 1049) {
            return new SkyforgeException(ErrorCode.NOT_FOUND, "database in " + config.safeUrl() + " does not exist: " + firstLine(e), e);
        }
        if (state.startsWith("42") || e.getErrorCode() == 1044) {
            return new SkyforgeException(ErrorCode.ACCESS_DENIED, "access to " + where + " denied: " + firstLine(e), e);
        }
        return new SkyforgeException(ErrorCode.UNAVAILABLE, "cannot reach " + config.safeUrl() + " within "
                + config.connectTimeoutSeconds() + " s: " + firstLine(e)
                + " (is the server running and listening on that host and port?)", e);
    }

    /** For a failure of a statement on an open connection; {@code what} names the operation and table. */
    public static SkyforgeException statement(String what, SQLException e) {
        String state = state(e);
        int code = e.getErrorCode();
        if (state.equals("42501") || code == 1142 || code == 1143 || code == 1044 || code == 1227) {
            return new SkyforgeException(ErrorCode.ACCESS_DENIED, "permission denied: " + what + ": " + firstLine(e), e);
        }
        if (state.startsWith("23")) {
            return new SkyforgeException(ErrorCode.CONFLICT, "the database rejected rows: " + what + ": " + firstLine(e), e);
        }
        if (state.startsWith("08")) {
            return new SkyforgeException(ErrorCode.UNAVAILABLE, "connection lost: " + what + ": " + firstLine(e), e);
        }
        if (state.startsWith("22")) {
            return new SkyforgeException(ErrorCode.VALIDATION, "the database rejected a value: " + what + ": " + firstLine(e), e);
        }
        return new SkyforgeException(ErrorCode.EXTERNAL, what + " failed: " + firstLine(e), e);
    }

    static String state(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return "";
    }

    static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage()).strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
