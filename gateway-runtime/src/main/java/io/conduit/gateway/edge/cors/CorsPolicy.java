package io.conduit.gateway.edge.cors;

import io.conduit.config.EdgeConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cross-origin access for browsers. Allowed origins are exact ({@code https://app.example.com}),
 * wildcard subdomains ({@code https://*.example.com}, which does not match the bare domain) or
 * {@code *}. An origin not allowed gets no CORS headers at all, so the browser blocks the page.
 */
public final class CorsPolicy {
    static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "POST", "PUT");
    static final List<String> DEFAULT_HEADERS = List.of("Authorization", "Content-Type", "X-Token", "Idempotency-Key");
    /** What a page may read of our answers: the references' ids live in the body, limits in these. */
    static final List<String> ALWAYS_EXPOSED = List.of("Retry-After", "RateLimit-Limit", "RateLimit-Remaining",
            "RateLimit-Reset", "X-Request-Id");

    private record Wildcard(String scheme, String suffix, int port) {
    }

    private final boolean anyOrigin;
    private final Set<String> exact;
    private final List<Wildcard> wildcards = new ArrayList<>();
    private final String methods;
    private final String headers;
    private final String exposed;
    private final boolean credentials;
    private final Integer maxAge;

    public CorsPolicy(EdgeConfig.Cors cors) {
        List<String> origins = cors.allowOrigins() == null ? List.of() : cors.allowOrigins();
        this.anyOrigin = origins.contains("*");
        this.exact = origins.stream().filter(o -> !o.contains("*")).map(CorsPolicy::normalize).collect(Collectors.toSet());
        origins.stream().filter(o -> o.contains("*.")).forEach(o -> {
            URI uri = URI.create(o.replace("*.", "wildcard."));
            wildcards.add(new Wildcard(uri.getScheme().toLowerCase(Locale.ROOT),
                    uri.getHost().substring("wildcard".length()).toLowerCase(Locale.ROOT), uri.getPort()));
        });
        this.methods = String.join(", ", cors.allowMethods() == null ? DEFAULT_METHODS : cors.allowMethods());
        this.headers = String.join(", ", cors.allowHeaders() == null ? DEFAULT_HEADERS : cors.allowHeaders());
        List<String> expose = new ArrayList<>(ALWAYS_EXPOSED);
        if (cors.exposeHeaders() != null) {
            expose.addAll(cors.exposeHeaders());
        }
        this.exposed = String.join(", ", expose);
        this.credentials = cors.allowCredentials();
        this.maxAge = cors.maxAge();
    }

    public boolean allows(String origin) {
        if (origin == null || origin.isBlank() || origin.equals("null")) {
            return false;
        }
        if (anyOrigin) {
            return true;
        }
        String normalized = normalize(origin);
        if (exact.contains(normalized)) {
            return true;
        }
        try {
            URI uri = URI.create(normalized);
            String host = uri.getHost();
            return host != null && wildcards.stream().anyMatch(w -> w.scheme().equals(uri.getScheme())
                    && host.endsWith(w.suffix()) && host.length() > w.suffix().length() && w.port() == uri.getPort());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A browser's preflight: OPTIONS with an Origin and the method it wants to use. */
    public static boolean isPreflight(HttpServerRequest request) {
        return request.method().name().equals("OPTIONS") && request.getHeader(HttpHeaders.ORIGIN) != null
                && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null;
    }

    /** Answers a preflight (204): with the CORS headers for an allowed origin, without them otherwise. */
    public void answerPreflight(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        response.putHeader(HttpHeaders.VARY, "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (allows(origin)) {
            response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                    .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, methods)
                    .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, headers);
            if (credentials) {
                response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            }
            if (maxAge != null) {
                response.putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, maxAge.toString());
            }
        }
        request.resume();
        response.setStatusCode(204).end();
    }

    /** Marks the answer to an actual cross-origin request readable by the page, when its origin is allowed. */
    public void decorate(HttpServerRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        HttpServerResponse response = request.response();
        response.putHeader(HttpHeaders.VARY, "Origin");
        if (!allows(origin)) {
            return;
        }
        response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                .putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, exposed);
        if (credentials) {
            response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
    }

    /** Lower-case scheme and host, default port dropped: origins compare as the browser sends them. */
    static String normalize(String origin) {
        try {
            URI uri = URI.create(origin.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return origin.trim().toLowerCase(Locale.ROOT);
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return origin.trim().toLowerCase(Locale.ROOT);
        }
    }
}
