package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.EdgeGatewayStatus;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.operator.status.Conditions;
import io.conduit.render.RenderResult;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps an EdgeGateway's owned objects in line with its rendered config. Thin on purpose: the
 * dependents build the objects, {@link GatewayRendering} renders, and this class only reports status.
 * Any change to a RouteRule or backend in the namespace re-renders every EdgeGateway there.
 */
@ControllerConfiguration
@Workflow(dependents = {
        @Dependent(type = GatewayServiceAccountDependent.class),
        @Dependent(type = GatewayConfigMapDependent.class),
        @Dependent(type = GatewayCredentialsDependent.class),
        @Dependent(type = GatewayDeploymentDependent.class),
        @Dependent(type = GatewayServiceDependent.class)
})
public class EdgeGatewayReconciler implements Reconciler<EdgeGateway> {

    @Override
    public UpdateControl<EdgeGateway> reconcile(EdgeGateway gateway, Context<EdgeGateway> context) {
        RenderResult rendering = GatewayRendering.of(gateway, context);
        long generation = gateway.getMetadata().getGeneration() == null ? 0 : gateway.getMetadata().getGeneration();
        List<Condition> previous = gateway.getStatus() == null ? List.of() : gateway.getStatus().conditions();
        Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
        int ready = deployment == null || deployment.getStatus() == null || deployment.getStatus().getReadyReplicas() == null
                ? 0 : deployment.getStatus().getReadyReplicas();
        int replicas = gateway.getSpec() == null || gateway.getSpec().replicas() == null ? 1 : gateway.getSpec().replicas();
        boolean gatewayProblem = rendering.problems().stream().anyMatch(p -> p.resource().kind().equals("EdgeGateway"));

        Conditions conditions = new Conditions(previous, generation)
                .set("Available", ready > 0 || replicas == 0, ready > 0 ? "MinimumReplicasAvailable" : "NoReadyReplicas",
                        ready + " of " + replicas + " gateway pods ready")
                .unknown("ConfigSynced", "PushPending", "config revision " + rendering.config().revision()
                        + " is in ConfigMap " + GatewayNames.config(gateway) + "; pods converge when they mount it");
        if (gatewayProblem) {
            conditions.set("Ready", false, "Invalid", rendering.problems().stream()
                    .filter(p -> p.resource().kind().equals("EdgeGateway")).map(p -> p.message())
                    .collect(Collectors.joining("; ")));
        } else {
            conditions.set("Ready", ready > 0, ready > 0 ? "Serving" : "NoReadyReplicas",
                    ready > 0 ? "serving " + rendering.config().routes().size() + " routes" : "no gateway pod is ready yet");
        }
        gateway.setStatus(new EdgeGatewayStatus(generation, conditions.list(), replicas, ready, null,
                rendering.config().revision(), GatewayNames.selectorString(gateway), rendering.config().routes().size()));
        return UpdateControl.patchStatus(gateway);
    }

    @Override
    public List<EventSource<?, EdgeGateway>> prepareEventSources(EventSourceContext<EdgeGateway> context) {
        return List.of(
                namespaceWide(RouteRule.class, context),
                namespaceWide(BlobBackend.class, context),
                namespaceWide(QueueBackend.class, context),
                namespaceWide(Secret.class, context));
    }

    /** Any change of a {@code type} in a namespace concerns every EdgeGateway of that namespace. */
    private static <R extends HasMetadata> InformerEventSource<R, EdgeGateway> namespaceWide(Class<R> type,
                                                                                              EventSourceContext<EdgeGateway> context) {
        var config = InformerEventSourceConfiguration.from(type, EdgeGateway.class)
                .withName(type.getSimpleName())
                .withSecondaryToPrimaryMapper((R resource) -> gatewaysIn(resource.getMetadata().getNamespace(), context))
                .build();
        return new InformerEventSource<>(config, context);
    }

    private static Set<ResourceID> gatewaysIn(String namespace, EventSourceContext<EdgeGateway> context) {
        return context.getPrimaryCache().list(namespace)
                .map(g -> new ResourceID(g.getMetadata().getName(), namespace))
                .collect(Collectors.toSet());
    }
}
