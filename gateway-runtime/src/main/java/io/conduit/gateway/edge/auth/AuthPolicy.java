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
     * Whether a request to {@code path} that {@code rulePath} (a rule's declared path, null for built-in
     * endpoints and unmatched requests) serves skips auth: the path must be exempt, and so must the rule's own
     * path, so an exemption never makes public a broader rule (a template or prefix) that happens to match it.
     */
    public boolean exempt(String path, String rulePath) {
        return exempt(path) && (rulePath == null || exempt(rulePath));
    }

    /** Whether the request presents a token at all (ours or not). */
    public boolean presentsToken(HttpServerRequest request) {
        return presentedToken(request) != null;
    }

    /** The tenant of a presented token, if it is one of ours; no answer is touched (for exempt paths). */
    public Optional<Caller> recognize(HttpServerRequest request) {
        String presented = presentedToken(request);
        return presented == null ? Optional.empty() : tokens.identify(presented);
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

    /** Whether a caller may call a shared rule: anonymous callers passed auth already, tenants without a list call every rule. */
    public boolean mayCall(Caller caller, String routeId) {
        if (caller.anonymous()) {
            return true;
        }
        Set<String> allowed = rulesByTenant.get(caller.tenant());
        return allowed == null || allowed.contains(routeId);
    }

    /** Refuses a tenant a rule outside its list (403); tenants without a list may call every rule. */
    public void authorize(Caller caller, String routeId) {
        if (!mayCall(caller, routeId)) {
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
