package io.skyforge.spi.storage;

/** ETag spelling: the SPI carries them bare; HTTP carries them quoted (and sometimes weak). */
public final class ETags {

    private ETags() {
    }

    public static String unquote(String etag) {
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }

    public static String quote(String etag) {
        return "\"" + unquote(etag) + "\"";
    }
}
