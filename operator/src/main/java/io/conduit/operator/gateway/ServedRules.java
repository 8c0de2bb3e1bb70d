package io.conduit.operator.gateway;

import io.conduit.config.GatewayConfig;
import io.conduit.config.RouteConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What each gateway's ready pods actually run, rule by rule: the EdgeGateway reconciler records every
 * revision it renders (with the generation of each rule in it) and which revision each ready pod
 * acknowledged; the RouteRule reconciler asks whether a generation of a rule is live everywhere.
 * In memory, like {@link PodRevisions}: after an operator restart rules read as pending until the
 * first push round, which happens at once.
 */
public final class ServedRules {

    /** Where one rule generation stands on one gateway. */
    public enum State { PROGRAMMED, PENDING, NO_READY_PODS, UNKNOWN_GATEWAY }

    private record Gateway(Map<String, Map<String, Long>> routesByRevision, List<String> readyPodRevisions) {
    }

    private final Map<String, Gateway> byGateway = new ConcurrentHashMap<>();

    /**
     * Called after each push round of gateway {@code namespace/name}, with the revision each ready pod
     * acknowledged (null for a pod that acknowledged none).
     */
    void update(String gateway, GatewayConfig config, List<String> readyPodRevisions) {
        byGateway.compute(gateway, (key, old) -> {
            Map<String, Map<String, Long>> revisions = new ConcurrentHashMap<>(old == null ? Map.of() : old.routesByRevision());
            revisions.put(config.revision(), config.routes().stream()
                    .collect(Collectors.toMap(RouteConfig::id, RouteConfig::generation)));
            // Keep only what a ready pod still runs, and the newest rendering.
            Set<String> keep = new HashSet<>(readyPodRevisions);
            keep.add(config.revision());
            revisions.keySet().retainAll(keep);
            // A ready pod that acknowledged nothing yet is a null entry: it counts, and holds no rule.
            return new Gateway(revisions, Collections.unmodifiableList(new ArrayList<>(readyPodRevisions)));
        });
    }

    /**
     * Whether every ready pod of {@code gateway} acknowledged a revision holding {@code generation}
     * of route {@code routeId} ({@code namespace/name} of the RouteRule).
     */
    public State state(String gateway, String routeId, long generation) {
        Gateway g = byGateway.get(gateway);
        if (g == null) {
            return State.UNKNOWN_GATEWAY;
        }
        if (g.readyPodRevisions().isEmpty()) {
            return State.NO_READY_PODS;
        }
        for (String revision : g.readyPodRevisions()) {
            Map<String, Long> routes = revision == null ? null : g.routesByRevision().get(revision);
            if (routes == null || !Long.valueOf(generation).equals(routes.get(routeId))) {
                return State.PENDING;
            }
        }
        return State.PROGRAMMED;
    }

    /** How many ready pods of {@code gateway} run {@code generation} of the route, and how many are ready. */
    public String progress(String gateway, String routeId, long generation) {
        Gateway g = byGateway.get(gateway);
        if (g == null) {
            return "not yet rendered";
        }
        long live = g.readyPodRevisions().stream().filter(r -> r != null && g.routesByRevision().containsKey(r)
                && Long.valueOf(generation).equals(g.routesByRevision().get(r).get(routeId))).count();
        return live + " of " + g.readyPodRevisions().size() + " ready pods";
    }
}
