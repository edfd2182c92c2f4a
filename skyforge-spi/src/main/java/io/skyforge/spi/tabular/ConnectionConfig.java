package io.skyforge.spi.tabular;

/**
 * Where and how to connect. The password never appears in {@link #toString()} or in any message.
 *
 * @param user null to take it from the URL
 * @param password null to take it from the URL (or none)
 * @param connections the most connections a load opens at once (one per partition in flight)
 */
public record ConnectionConfig(String jdbcUrl, String user, String password, int connectTimeoutSeconds, int connections) {

    public ConnectionConfig {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("a JDBC URL starts with jdbc:, got " + redactUrl(jdbcUrl));
        }
        if (connectTimeoutSeconds < 1) {
            throw new IllegalArgumentException("connectTimeoutSeconds must be positive");
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be positive");
        }
    }

    public static ConnectionConfig of(String jdbcUrl) {
        return new ConnectionConfig(jdbcUrl, null, null, 10, 4);
    }

    public ConnectionConfig withConnections(int n) {
        return new ConnectionConfig(jdbcUrl, user, password, connectTimeoutSeconds, n);
    }

    /** The URL with any {@code password=} parameter value replaced, for messages. */
    public String safeUrl() {
        return redactUrl(jdbcUrl);
    }

    public static String redactUrl(String url) {
        if (url == null) {
            return "null";
        }
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
    }

    @Override
    public String toString() {
        return "ConnectionConfig[" + safeUrl() + ", user=" + user + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
