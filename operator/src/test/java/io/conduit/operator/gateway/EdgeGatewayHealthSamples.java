package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.EdgeGatewayStatus;
import io.conduit.operator.HealthSample;
import io.conduit.render.GatewayRenderer;
import io.conduit.render.Problem;
import io.conduit.render.RenderResult;
import io.conduit.render.ResourceSet;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;

/**
 * EdgeGateway statuses as the reconciler writes them: the gateway rendered by the real renderer, its
 * conditions from {@link GatewayConditions} for a given push round, the status record as written.
 */
public final class EdgeGatewayHealthSamples {
    private EdgeGatewayHealthSamples() {
    }

    static EdgeGateway gateway(long generation, String spec) {
        return Serialization.unmarshal("""
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge, namespace: issues, generation: %d}
                spec: %s
                """.formatted(generation, spec), EdgeGateway.class);
    }

    static final String GOOD = "{replicas: 2}";
    static final String BAD = "{replicas: 2, auth: {tokensSecretRef: {name: edge-tokens}}}";

    /** The gateway after a push round: {@code ready} pods ready, {@code updated} of them on the current revision. */
    static EdgeGateway after(EdgeGateway gateway, int ready, int updated, List<String> failures) {
        RenderResult render = new GatewayRenderer().render(new ResourceSet(List.of(), List.of(), List.of(), List.of(gateway),
                List.of()), "issues", "edge");
        String revision = render.config().revision();
        List<String> problems = render.problems().stream().filter(p -> p.resource().kind().equals("EdgeGateway"))
                .map(Problem::message).toList();
        long generation = gateway.getMetadata().getGeneration();
        List<Condition> conditions = GatewayConditions.of(List.of(), generation, gateway.getSpec().replicas(), ready, updated,
                revision, render.config().routes().size(), failures, problems);
        gateway.setStatus(new EdgeGatewayStatus(generation, conditions, gateway.getSpec().replicas(), ready, updated, revision,
                GatewayNames.selectorString(gateway), render.config().routes().size()));
        return gateway;
    }

    static String message(EdgeGateway gateway, String type) {
        return gateway.getStatus().conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow().getMessage();
    }

    public static List<HealthSample> all() {
        List<HealthSample> samples = new ArrayList<>();
        EdgeGateway healthy = after(gateway(1, GOOD), 2, 2, List.of());
        samples.add(new HealthSample("healthy", healthy, "Healthy", message(healthy, "Ready")));
        EdgeGateway starting = after(gateway(1, GOOD), 0, 0, List.of());
        samples.add(new HealthSample("progressing-pods-starting", starting, "Progressing", message(starting, "Ready")));
        EdgeGateway pending = after(gateway(1, GOOD), 2, 0, List.of());
        samples.add(new HealthSample("progressing-config-pending", pending, "Progressing", message(pending, "Ready")));
        EdgeGateway stale = after(gateway(1, GOOD), 2, 2, List.of());
        stale.getMetadata().setGeneration(2L);
        samples.add(new HealthSample("progressing-generation", stale, "Progressing",
                "Waiting for the Conduit operator to observe generation 2"));
        samples.add(new HealthSample("progressing-no-status", gateway(1, GOOD), "Progressing",
                "Waiting for the Conduit operator to report status"));
        EdgeGateway invalid = after(gateway(1, BAD), 2, 2, List.of());
        samples.add(new HealthSample("degraded-invalid", invalid, "Degraded", message(invalid, "Ready")));
        // One pod refuses the config (it still serves the previous one): a failure, not a rollout.
        EdgeGateway refused = after(gateway(1, GOOD), 2, 1, List.of("edge-gateway-7d9f-x2x4q: pod answered 400: "
                + "{\"error\":\"invalid_config\",\"message\":\"config version 2 is newer than this gateway\"}"));
        samples.add(new HealthSample("degraded-push-failed", refused, "Degraded", message(refused, "ConfigSynced")));
        return samples;
    }
}
