package io.conduit.gateway.routing;

import java.util.Map;
import java.util.Set;

/** The outcome of looking a request up: a route with its path variables, or why there is none. */
public sealed interface RouteMatch {
    record Found(CompiledRoute route, Map<String, String> pathVariables) implements RouteMatch {
    }

    record NotFound() implements RouteMatch {
    }

    /** The path is served, but not with this method: answer 405 with {@code Allow}. */
    record MethodNotAllowed(Set<String> allowed) implements RouteMatch {
    }

    /** Path and method are served, but not for this content type: answer 415. */
    record UnsupportedMediaType(Set<String> accepted) implements RouteMatch {
    }
}
