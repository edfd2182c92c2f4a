package io.skyforge.server;

/** The REST API on the embedded H2 store. */
class H2ServerApiIT extends AbstractServerApiIT {
    @Override
    String dbUrl() {
        return null;
    }
}
