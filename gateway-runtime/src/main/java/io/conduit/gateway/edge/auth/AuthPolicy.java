package io.conduit.gateway.edge.auth;

import io.conduit.config.EdgeConfig;
import io.conduit.config.GatewayCredentials;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The auth a gateway declares: who a request's token names ({@code Authorization: Bearer} or
 * {@code X-Token}) and which rules that tenant may call. Exempt paths skip it, as do public rules
 * called without a token. Tokens never appear in messages or logs.
 */
public final class AuthPolicy {
    static final String X_TOKEN = "X-Token";
    private static final String CHALLENGE = "Bearer realm=\"conduit\"";

    private final Tokens tokens;
    private final List<String> exemptPaths;
    private final Map<String, Set<String>> rulesByTenant = new HashMap<>();

    private AuthPolicy(Tokens tokens, List<String> exemptPaths, List<EdgeConfig.Tenant> tenants) {
        this.tokens = tokens;
        this.exemptPaths = List.copyOf(exemptPaths);
        tenants.stream().filter(t -> t.rules() != null).forEach(t -> rulesByTenant.put(t.name(), Set.copyOf(t.rules())));
    }

    /** The policy of a config, or empty when the gateway declares no auth (every request is anonymous). */
    public static Optional<AuthPolicy> of(EdgeConfig.Auth auth, GatewayCredentials credentials) {
        if (auth == null) {
            return Optional.empty();
        }
        return Optional.of(new AuthPolicy(Tokens.of(credentials.get(auth.credentialsKey())), auth.exemptPaths(),
                auth.tenants()));
    }

    /** Exact paths, or prefixes written as {@code /docs/**}. */
    public boolean exempt(String path) {
        for (String p : exemptPaths) {
            if (p.endsWith("/**") ? path.startsWith(p.substring(0, p.length() - 2)) || path.equals(p.substring(0, p.length() - 3))
                    : path.equals(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The caller of a request. A missing token is fine only when not {@code required}; a token that
     * is not ours is always refused, so a client learns of a wrong token even on a public rule.
     */
    public Caller authenticate(HttpServerRequest request, boolean required) {
        String presented = presentedToken(request);
        if (presented == null) {
            if (!required) {
                return Caller.ANONYMOUS;
            }
            request.response().putHeader("WWW-Authenticate", CHALLENGE);
            throw AuthRefused.missing(
                    "a token is required: send Authorization: Bearer <token> or " + X_TOKEN + ": <token>");
        }
        return tokens.identify(presented).orElseThrow(() -> {
            request.response().putHeader("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\"");
            return AuthRefused.invalid("the token is not valid");
        });
    }

    /** Refuses a tenant a rule outside its list (403); tenants without a list may call every rule. */
    public void authorize(Caller caller, String routeId) {
        if (caller.anonymous()) {
            return;
        }
        Set<String> allowed = rulesByTenant.get(caller.tenant());
        if (allowed != null && !allowed.contains(routeId)) {
            throw AuthRefused.forbidden("tenant " + caller.tenant() + " may not call this route");
        }
    }

    private static String presentedToken(HttpServerRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            String value = authorization.trim();
            if (value.regionMatches(true, 0, "Bearer ", 0, 7) && value.length() > 7) {
                return value.substring(7).trim();
            }
        }
        String token = request.getHeader(X_TOKEN);
        return token == null || token.isBlank() ? null : token.trim();
    }
}
