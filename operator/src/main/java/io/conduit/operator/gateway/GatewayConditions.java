package io.conduit.operator.gateway;

import io.conduit.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * An EdgeGateway's conditions after one push round. Pure, like the RouteRule's: the reconciler
 * gathers pods and push outcomes, this decides, and the Argo CD health samples are built from it.
 */
public final class GatewayConditions {
    private GatewayConditions() {
    }

    /**
     * @param updated         ready pods that acknowledged {@code revision}
     * @param failures        one line per pod whose push failed this round
     * @param gatewayProblems the renderer's problems with the EdgeGateway itself
     */
    static List<Condition> of(List<Condition> previous, long generation, int replicas, int ready, int updated,
                              String revision, int routes, List<String> failures, List<String> gatewayProblems) {
        Conditions conditions = new Conditions(previous, generation)
                .set("Available", ready > 0 || replicas == 0, ready == 0 ? "NoReadyReplicas" : "MinimumReplicasAvailable",
                        ready + " of " + replicas + " gateway pods ready");
        if (!failures.isEmpty()) {
            conditions.set("ConfigSynced", false, "PushFailed", "revision " + revision + " not acknowledged by "
                    + String.join("; ", failures));
        } else if (ready == 0) {
            conditions.unknown("ConfigSynced", "NoReadyReplicas", "revision " + revision + " waits for a ready pod");
        } else {
            conditions.set("ConfigSynced", updated == ready, updated == ready ? "Synced" : "Pending",
                    updated + " of " + ready + " ready pods run revision " + revision);
        }
        if (!gatewayProblems.isEmpty()) {
            conditions.set("Ready", false, "Invalid", String.join("; ", gatewayProblems));
        } else {
            boolean serving = ready > 0 && updated > 0;
            conditions.set("Ready", serving, serving ? "Serving" : ready == 0 ? "NoReadyReplicas" : "ConfigPending",
                    serving ? "serving " + routes + " routes at revision " + revision
                            : "no ready pod runs revision " + revision + " yet");
        }
        return conditions.list();
    }
}
