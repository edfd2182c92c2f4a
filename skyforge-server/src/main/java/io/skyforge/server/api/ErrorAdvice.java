package io.skyforge.server.api;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Every failure leaves as problem+json with a stable code; internal details go to the log only. */
@RestControllerAdvice
public class ErrorAdvice {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorAdvice.class);

    @ExceptionHandler(SkyforgeException.class)
    public ResponseEntity<String> skyforge(SkyforgeException e, HttpServletRequest request) {
        if (e.code() == ErrorCode.INTERNAL) {
            LOG.error("internal error on {} {}", request.getMethod(), request.getRequestURI(), e);
        }
        return Problems.response(e, request.getRequestURI());
    }

    @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
    public ResponseEntity<String> noHandler(Exception e, HttpServletRequest request) {
        return Problems.response(new SkyforgeException(ErrorCode.NOT_FOUND,
                "no API at " + request.getRequestURI() + "; resources live under /apis/{group}/{version}/..."),
                request.getRequestURI());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<String> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return Problems.response(new SkyforgeException(ErrorCode.METHOD_NOT_ALLOWED,
                request.getMethod() + " is not supported on " + request.getRequestURI()), request.getRequestURI());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<String> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return Problems.response(new SkyforgeException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "content type " + e.getContentType() + " is not supported; send application/json or application/yaml"),
                request.getRequestURI());
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class})
    public ResponseEntity<String> badParameter(Exception e, HttpServletRequest request) {
        return Problems.response(new SkyforgeException(ErrorCode.VALIDATION, "bad request parameter: " + e.getMessage()),
                request.getRequestURI());
    }

    /**
     * A watch stream that timed out or whose client went away: the stream just ends. Without this the
     * catch-all below logged a stack trace for every watch a client closed.
     */
    @ExceptionHandler({AsyncRequestTimeoutException.class, AsyncRequestNotUsableException.class})
    public void streamEnded(Exception e, HttpServletRequest request) {
        LOG.debug("stream {} {} ended: {}", request.getMethod(), request.getRequestURI(), e.toString());
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<String> unexpected(Exception e, HttpServletRequest request) {
        LOG.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return Problems.response(new SkyforgeException(ErrorCode.INTERNAL,
                "internal error (" + e.getClass().getSimpleName() + "); the server log has the details"),
                request.getRequestURI());
    }
}
