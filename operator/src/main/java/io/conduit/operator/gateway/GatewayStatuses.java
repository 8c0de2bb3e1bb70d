package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.EdgeGatewayStatus;
import io.conduit.render.Problem;
import io.conduit.render.RenderResult;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * An EdgeGateway's status after a push round: pod counts, the revision and its conditions
 * ({@link GatewayConditions}), stamped with the generation they describe.
 */
final class GatewayStatuses {
    private GatewayStatuses() {
    }

    /** @param pods how many pods the gateway really owns, ready or not */
    static EdgeGatewayStatus of(EdgeGateway gateway, RenderResult rendering, int pods, ConfigRollout.Round round) {
        long generation = gateway.getMetadata().getGeneration() == null ? 0 : gateway.getMetadata().getGeneration();
        int replicas = gateway.getSpec() == null || gateway.getSpec().replicas() == null ? 1 : gateway.getSpec().replicas();
        int ready = round.readyRevisions().size();
        int routes = rendering.config().routes().size();
        List<Condition> previous = gateway.getStatus() == null ? List.of() : gateway.getStatus().conditions();
        List<String> gatewayProblems = rendering.problems().stream()
                .filter(p -> p.resource().kind().equals("EdgeGateway")).map(Problem::message).toList();
        List<Condition> conditions = GatewayConditions.of(previous, generation, replicas, ready, round.updated(),
                round.revision(), routes, round.failures(), gatewayProblems);
        return new EdgeGatewayStatus(generation, conditions, pods, ready, round.updated(), round.revision(),
                GatewayNames.selectorString(gateway), routes);
    }

    /** Whether the gateway's current status already reports a failed push. */
    static boolean pushFailing(EdgeGateway gateway) {
        return gateway.getStatus() != null && gateway.getStatus().conditions() != null
                && gateway.getStatus().conditions().stream().anyMatch(c -> "PushFailed".equals(c.getReason()));
    }
}
