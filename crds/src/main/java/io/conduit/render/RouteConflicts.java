package io.conduit.render;

import io.conduit.config.PathPattern;
import io.conduit.config.RouteConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The routes one gateway serves so far, and why a further one cannot join them: it matches exactly
 * the same requests as one already taken (which is older), or it brings a backend whose name another
 * namespace's served route already uses (the config names backends without namespace).
 */
final class RouteConflicts {
    private final Map<String, RouteConfig> byShape = new LinkedHashMap<>();
    private final Map<String, String> owners = new HashMap<>();

    /** The conflict of {@code route} (rule {@code id}) with those taken, or, with none, takes it. */
    Optional<Problem> take(ResourceId id, RouteConfig route) {
        // A tenant's rule shares its match with the shared rule it overrides for that tenant.
        String shape = shape(route.match()) + (route.tenant() == null ? "" : " tenant=" + route.tenant());
        RouteConfig winner = byShape.get(shape);
        if (winner != null) {
            return Optional.of(new Problem(id, Problem.CONFLICTED, "matches exactly the same requests as RouteRule "
                    + winner.id() + ", which is older and wins"));
        }
        String nameClash = backendNameClash(route, id.namespace());
        if (nameClash != null) {
            return Optional.of(new Problem(id, Problem.CONFLICTED, nameClash));
        }
        byShape.put(shape, route);
        return Optional.empty();
    }

    /** Backends are named without namespace in the config; two namespaces may not bring the same name. */
    private String backendNameClash(RouteConfig route, String ns) {
        List<String> names = new ArrayList<>();
        if (route.blob() != null) {
            names.add("blob:" + route.blob().backend());
        } else {
            names.add("queue:" + route.queue().backend());
        }
        if (route.onComplete() != null) {
            names.add("queue:" + route.onComplete().backend());
        }
        for (String n : names) {
            String owner = owners.get(n);
            if (owner != null && !owner.equals(ns)) {
                return "backend " + n.substring(n.indexOf(':') + 1) + " of namespace " + ns
                        + " has the same name as one of namespace " + owner + " already served by this gateway";
            }
        }
        names.forEach(n -> owners.putIfAbsent(n, ns));
        return null;
    }

    private static String shape(RouteConfig.Match m) {
        String headers = m.headers().stream()
                .map(h -> h.name() + (h.type() == null ? "" : h.type().name()) + "=" + h.value())
                .sorted().collect(Collectors.joining("&"));
        return (m.method() == null ? "*" : m.method()) + " " + PathPattern.parse(m.path()).shape() + " "
                + (m.contentType() == null ? "*/*" : m.contentType()) + " " + headers;
    }
}
