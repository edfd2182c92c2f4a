package io.skyforge.server.api;

import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a request body as text with a hard size limit. A declared Content-Length over the limit is
 * refused before a byte is read, so an oversized upload costs the server nothing.
 */
final class RequestBodies {

    static final int MAX_BYTES = ResourceCodec.MAX_DOCUMENT_CHARS;

    private RequestBodies() {
    }

    static String read(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        if (declared > MAX_BYTES) {
            throw tooLarge(declared);
        }
        try (InputStream in = request.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
            byte[] buf = new byte[16384];
            int n;
            long total = 0;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > MAX_BYTES) {
                    throw tooLarge(total);
                }
                out.write(buf, 0, n);
            }
            if (total == 0) {
                throw new SkyforgeException(ErrorCode.PARSE, "the request body is empty; send the resource as JSON or YAML");
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SkyforgeException(ErrorCode.PARSE, "cannot read the request body: " + e.getMessage(), e);
        }
    }

    private static SkyforgeException tooLarge(long size) {
        return new SkyforgeException(ErrorCode.TOO_LARGE, "the request body is " + (size >= MAX_BYTES ? "over " : "")
                + MAX_BYTES + " bytes; a resource may be at most " + MAX_BYTES + " bytes");
    }
}
