package io.conduit.gateway.routing;

import io.conduit.config.PathPattern;
import io.conduit.config.RouteConfig;
import io.vertx.core.MultiMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The routes of one config, most specific first: path (exact, then templates, then prefixes, more
 * literal segments first), then a named method, then a named content type (exact before wildcard),
 * then more header conditions, then the rule id. Immutable: a reload builds a new table and swaps it.
 */
public final class RouteTable {
    private static final Comparator<CompiledRoute> ORDER = Comparator
            .comparing(CompiledRoute::path, PathPattern.MOST_SPECIFIC_FIRST)
            .thenComparing(r -> r.config().match().method() == null)
            .thenComparing(r -> contentTypeRank(r.config().match()))
            .thenComparing(Comparator.comparingInt((CompiledRoute r) -> r.headers().size()).reversed())
            // A tenant's rule comes before the shared rule with the same match, which it overrides for that tenant.
            .thenComparing(r -> r.config().tenant() == null)
            .thenComparing(CompiledRoute::id);

    private final List<CompiledRoute> routes;

    public RouteTable(List<CompiledRoute> routes) {
        this.routes = routes.stream().sorted(ORDER).toList();
    }

    public static RouteTable compile(List<RouteConfig> configs) {
        return new RouteTable(configs.stream().map(CompiledRoute::compile).toList());
    }

    public List<CompiledRoute> routes() {
        return routes;
    }

    public RouteMatch match(String method, String path, String contentType, MultiMap headers) {
        return match(method, path, contentType, headers, null);
    }

    /** Matches among the shared rules and the rules of {@code tenant} (none when null). */
    public RouteMatch match(String method, String path, String contentType, MultiMap headers, String tenant) {
        Set<String> allowed = new TreeSet<>();
        Set<String> accepted = new TreeSet<>();
        boolean pathSeen = false;
        boolean methodSeen = false;
        for (CompiledRoute route : routes) {
            if (route.isWebSocket()) {
                continue;
            }
            if (!route.servesTenant(tenant)) {
                continue;
            }
            Optional<Map<String, String>> vars = route.path().match(path);
            if (vars.isEmpty() || !route.headersMatch(headers)) {
                continue;
            }
            pathSeen = true;
            if (!route.methodMatches(method)) {
                allowed.add(route.config().match().method());
                continue;
            }
            methodSeen = true;
            if (!route.contentTypeMatches(contentType)) {
                accepted.add(route.config().match().contentType());
                continue;
            }
            return new RouteMatch.Found(route, vars.get());
        }
        if (methodSeen) {
            return new RouteMatch.UnsupportedMediaType(accepted);
        }
        if (pathSeen) {
            return new RouteMatch.MethodNotAllowed(allowed);
        }
        return new RouteMatch.NotFound();
    }

    /**
     * The WebSocket rule ({@code when.ws}) for an upgrade request to {@code path}, most specific first,
     * among the shared rules and the rules of {@code tenant} (none when null), as for HTTP.
     */
    public Optional<RouteMatch.Found> matchWebSocket(String path, String tenant) {
        for (CompiledRoute route : routes) {
            if (!route.isWebSocket() || !route.servesTenant(tenant)) {
                continue;
            }
            Optional<Map<String, String>> vars = route.path().match(path);
            if (vars.isPresent()) {
                return Optional.of(new RouteMatch.Found(route, vars.get()));
            }
        }
        return Optional.empty();
    }

    /** Whether any rule, of any tenant, serves {@code method} on {@code path} whatever the headers: what a CORS preflight asks. */
    public boolean serves(String method, String path) {
        return routes.stream().anyMatch(r -> r.methodMatches(method) && r.path().match(path).isPresent());
    }

    private static int contentTypeRank(RouteConfig.Match m) {
        if (m.contentType() == null) {
            return 2;
        }
        return m.contentType().endsWith("/*") ? 1 : 0;
    }
}
