package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.config.GatewayConfig;
import io.conduit.operator.status.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The Kubernetes events of a push round: which pods acknowledged a revision, and the start of a failure streak. */
final class RolloutEvents {
    private RolloutEvents() {
    }

    /** Reads the gateway's status as it was before this round, to tell a new failure streak from a going one. */
    static void record(KubernetesClient client, EdgeGateway gateway, GatewayConfig config, ConfigRollout.Round round) {
        if (!round.pushed().isEmpty()) {
            EventRecorder.normal(client, gateway, "ConfigPushed", "revision " + round.revision() + " ("
                    + config.routes().size() + " routes) acknowledged by " + String.join(", ", round.pushed()));
        }
        if (!round.failures().isEmpty() && !GatewayStatuses.pushFailing(gateway)) {
            // Once per failure streak: retries every few seconds would otherwise flood the namespace's events.
            EventRecorder.warning(client, gateway, "PushFailed", "revision " + round.revision()
                    + " not acknowledged by " + String.join("; ", round.failures()));
        }
    }
}
