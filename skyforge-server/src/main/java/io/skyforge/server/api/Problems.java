package io.skyforge.server.api;

import io.skyforge.core.codec.Json;
import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one place where error codes become HTTP: status per code and an RFC 9457
 * {@code application/problem+json} body carrying the stable {@code code} and every violation.
 */
public final class Problems {

    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    private Problems() {
    }

    public static HttpStatus status(ErrorCode code) {
        return switch (code) {
            case PARSE, UNKNOWN_KIND, UNSUPPORTED, INVALID_KEY, INCOMPLETE_BODY -> HttpStatus.BAD_REQUEST;
            case RANGE_NOT_SATISFIABLE -> HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE;
            case VALIDATION, MISSING_VARIABLE, RESIDENCY, SPEC -> HttpStatus.UNPROCESSABLE_CONTENT;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case NOT_FOUND, BUCKET_NOT_FOUND -> HttpStatus.NOT_FOUND;
            case ALREADY_EXISTS, CONFLICT -> HttpStatus.CONFLICT;
            case PRECONDITION_FAILED -> HttpStatus.PRECONDITION_FAILED;
            case UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
            case FORBIDDEN, ACCESS_DENIED -> HttpStatus.FORBIDDEN;
            case METHOD_NOT_ALLOWED -> HttpStatus.METHOD_NOT_ALLOWED;
            case UNSUPPORTED_MEDIA_TYPE -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case THROTTLED, UNAVAILABLE, IO -> HttpStatus.SERVICE_UNAVAILABLE;
            case EXTERNAL -> HttpStatus.BAD_GATEWAY;
            case TIMEOUT -> HttpStatus.GATEWAY_TIMEOUT;
            case GONE -> HttpStatus.GONE;
            case INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    public static ObjectNode body(SkyforgeException e, String instance) {
        HttpStatus status = status(e.code());
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("type", "urn:skyforge:error:" + e.code().code().toLowerCase(Locale.ROOT));
        p.put("title", status.getReasonPhrase());
        p.put("status", status.value());
        p.put("detail", e.getMessage());
        if (instance != null) {
            p.put("instance", instance);
        }
        p.put("code", e.code().code());
        p.put("retryable", e.retryable());
        if (!e.violations().isEmpty()) {
            ArrayNode vs = p.putArray("violations");
            for (Violation v : e.violations()) {
                ObjectNode o = vs.addObject();
                if (!v.source().isEmpty()) {
                    o.put("source", v.source());
                }
                o.put("path", v.path());
                if (v.line() > 0) {
                    o.put("line", v.line());
                    o.put("column", v.column());
                }
                o.put("message", v.message());
            }
        }
        return p;
    }

    public static ResponseEntity<String> response(SkyforgeException e, String instance) {
        HttpStatus status = status(e.code());
        ResponseEntity.BodyBuilder b = ResponseEntity.status(status).contentType(PROBLEM_JSON);
        if (status == HttpStatus.UNAUTHORIZED) {
            b.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"skyforge\"");
        }
        if (e.code() == ErrorCode.THROTTLED || e.code() == ErrorCode.UNAVAILABLE) {
            b.header(HttpHeaders.RETRY_AFTER, "1");
        }
        return b.body(ResourceCodec.toCompactJson(body(e, instance)));
    }
}
