package io.skyforge.server.auth;

import io.skyforge.server.api.Problems;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.springframework.http.ResponseEntity;
import org.springframework.web.filter.OncePerRequestFilter;

/** Every request but the health probe must carry {@code Authorization: Bearer <token>}. */
public class BearerTokenFilter extends OncePerRequestFilter {

    public static final String PRINCIPAL_ATTRIBUTE = "skyforge.principal";

    private final TokenRegistry tokens;
    private final Path dataDir;

    public BearerTokenFilter(TokenRegistry tokens, Path dataDir) {
        this.tokens = tokens;
        this.dataDir = dataDir;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            reject(request, response, "this API needs 'Authorization: Bearer <token>'; the admin token is in "
                    + dataDir.resolve(TokenRegistry.ADMIN_TOKEN_FILE) + " on the server");
            return;
        }
        var who = tokens.authenticate(header.substring(7));
        if (who.isEmpty()) {
            reject(request, response, "the bearer token is not valid");
            return;
        }
        request.setAttribute(PRINCIPAL_ATTRIBUTE, who.get());
        chain.doFilter(request, response);
    }

    private static void reject(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        ResponseEntity<String> problem = Problems.response(new SkyforgeException(ErrorCode.UNAUTHORIZED, message),
                request.getRequestURI());
        response.setStatus(problem.getStatusCode().value());
        problem.getHeaders().forEach((k, vs) -> vs.forEach(v -> response.addHeader(k, v)));
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(problem.getBody());
    }
}
