package io.skyforge.server.data;

import io.skyforge.server.api.Problems;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors the servlet container raises itself, outside any controller, leave as problem+json with a
 * code too: Tomcat answers 400 when an upload body breaks off (after our handler has classified it,
 * see {@link #PROBLEM}) and when a path holds an encoded {@code /}, {@code ..} or {@code \}.
 */
@Hidden
@RestController
public class ProblemErrorController implements ErrorController {

    /** Request attribute a handler sets to the problem the container's error page must report. */
    public static final String PROBLEM = ProblemErrorController.class.getName() + ".problem";

    @RequestMapping("/error")
    public ResponseEntity<String> error(HttpServletRequest request) {
        Object uriAttr = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String uri = uriAttr instanceof String s ? s : null;
        if (request.getAttribute(PROBLEM) instanceof SkyforgeException e) {
            return Problems.response(e, uri);
        }
        Object statusAttr = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = statusAttr instanceof Integer i ? i : 500;
        boolean data = uri != null && uri.startsWith("/data/");
        SkyforgeException e = switch (status) {
            case 400 -> data
                    ? new SkyforgeException(ErrorCode.INVALID_KEY, "the object path was refused: a key must not hold '.' or '..'"
                            + " segments, an encoded '/' or a '\\'")
                    : new SkyforgeException(ErrorCode.VALIDATION, "the request was malformed (HTTP 400)");
            case 401 -> new SkyforgeException(ErrorCode.UNAUTHORIZED, "authentication required");
            case 403 -> new SkyforgeException(ErrorCode.FORBIDDEN, "forbidden");
            case 404 -> new SkyforgeException(ErrorCode.NOT_FOUND, "no API at " + uri);
            case 405 -> new SkyforgeException(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed on " + uri);
            case 413 -> new SkyforgeException(ErrorCode.TOO_LARGE, "the request is too large");
            case 415 -> new SkyforgeException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported content type");
            default -> new SkyforgeException(ErrorCode.INTERNAL, "internal error (HTTP " + status + "); the server log has the details");
        };
        return Problems.response(e, uri);
    }
}
