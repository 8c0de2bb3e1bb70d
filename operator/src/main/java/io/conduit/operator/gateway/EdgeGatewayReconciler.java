package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.EdgeGatewaySpec;
import io.conduit.api.v1alpha1.EdgeGatewayStatus;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.operator.ReferencedSecrets;
import io.conduit.render.RenderResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import io.fabric8.kubernetes.api.model.Secret;
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
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps an EdgeGateway's owned objects in line with its rendered config. Thin on purpose: the
 * dependents build the objects, {@link GatewayRendering} renders, {@link ConfigRollout} pushes to the
 * pods and {@link GatewayStatuses} says where the gateway stands; {@link #reconcile} only calls them in order.
 * Any change to a RouteRule or backend in the namespace re-renders every EdgeGateway there; so does a change
 * of a watched Secret, and the periodic reconciliation re-reads the unwatched ones it references.
 */
@ControllerConfiguration
@Workflow(dependents = {
        @Dependent(type = GatewayServiceAccountDependent.class),
        @Dependent(type = GatewayConfigMapDependent.class),
        @Dependent(type = GatewayCredentialsDependent.class),
        @Dependent(type = GatewayAdminTokenDependent.class, name = GatewayAdminTokenDependent.NAME),
        // The pods mount the admin token, and the pod template carries its hash.
        @Dependent(type = GatewayDeploymentDependent.class, dependsOn = GatewayAdminTokenDependent.NAME),
        @Dependent(type = GatewayServiceDependent.class),
        @Dependent(type = GatewayNetworkPolicyDependent.class),
        @Dependent(type = GatewayDisruptionBudgetDependent.class,
                reconcilePrecondition = GatewayDisruptionBudgetDependent.MultipleReplicas.class)
})
public class EdgeGatewayReconciler implements Reconciler<EdgeGateway> {

    private final ConfigRollout rollout = new ConfigRollout();
    private final ServedRules served;

    public EdgeGatewayReconciler() {
        this(new ServedRules());
    }

    /** {@code served} is shared with the RouteRule reconciler, which reads from it whether rules are live. */
    public EdgeGatewayReconciler(ServedRules served) {
        this.served = served;
    }

    @Override
    public UpdateControl<EdgeGateway> reconcile(EdgeGateway gateway, Context<EdgeGateway> context) {
        // The workflow has applied the owned objects by now; what is left is the push and the status.
        RenderResult rendering = GatewayRendering.of(gateway, context);
        List<Pod> pods = OwnPods.of(gateway, context);
        // Pods that become ready trigger a reconciliation through the Pod informer and get pushed to here.
        ConfigRollout.Round round = rollout.push(ResourceID.fromResource(gateway), pods, OwnPods.ready(pods),
                rendering.config(), AdminTokens.of(context));
        served.update(gatewayKey(gateway), rendering.config(), round.readyRevisions());
        RolloutEvents.record(context.getClient(), gateway, rendering.config(), round);
        return statusUpdate(gateway, GatewayStatuses.of(gateway, rendering, pods.size(), round), round);
    }

    /** An unchanged status is not written: RouteRule reconcilers watch gateways, and a write would wake them for nothing. */
    private static UpdateControl<EdgeGateway> statusUpdate(EdgeGateway gateway, EdgeGatewayStatus status, ConfigRollout.Round round) {
        boolean changed = !status.equals(gateway.getStatus());
        gateway.setStatus(status);
        UpdateControl<EdgeGateway> control = changed ? UpdateControl.patchStatus(gateway) : UpdateControl.noUpdate();
        return round.failures().isEmpty() ? control : control.rescheduleAfter(RETRY_PUSH);
    }

    /** How {@link ServedRules} names a gateway: {@code namespace/name}. */
    public static String gatewayKey(HasMetadata gateway) {
        return gateway.getMetadata().getNamespace() + "/" + gateway.getMetadata().getName();
    }

    static final Duration RETRY_PUSH = Duration.ofSeconds(5);

    @Override
    public List<EventSource<?, EdgeGateway>> prepareEventSources(EventSourceContext<EdgeGateway> context) {
        return List.of(
                namespaceWide(RouteRule.class, context),
                namespaceWide(BlobBackend.class, context),
                namespaceWide(QueueBackend.class, context),
                watchedSecrets(context),
                gatewayLabelled(Pod.class, "gateway-pods", context),
                gatewayLabelled(ReplicaSet.class, "gateway-replicasets", context));
    }

    /** Any change of a {@code type} in a namespace concerns every EdgeGateway of that namespace. */
    private static <R extends HasMetadata> InformerEventSource<R, EdgeGateway> namespaceWide(Class<R> type,
                                                                                              EventSourceContext<EdgeGateway> context) {
        var config = InformerEventSourceConfiguration.from(type, EdgeGateway.class)
                .withName(type.getSimpleName())
                .withSecondaryToPrimaryMapper((R resource) -> gatewaysIn(resource.getMetadata().getNamespace(), context))
                // The render reads specs, never the status the other reconcilers write: status-only updates
                // of rules and backends would only queue full reconciliations ahead of the next real change.
                .withOnUpdateFilter((R newer, R older) -> newer.getMetadata().getGeneration() == null
                        || !newer.getMetadata().getGeneration().equals(older.getMetadata().getGeneration())
                        || !Objects.equals(newer.getMetadata().getLabels(), older.getMetadata().getLabels()))
                .build();
        return new InformerEventSource<>(config, context);
    }

    /** Event source of the user Secrets labelled {@link ReferencedSecrets#WATCH_LABEL}; its cache serves renders. */
    static final String WATCHED_SECRETS = "watched-secrets";

    /**
     * User Secrets labelled {@link ReferencedSecrets#WATCH_LABEL}{@code =true}, and only those: a change re-renders
     * the gateways that may use them (their namespace's, and those admitting routes from every namespace).
     * Unlabelled ones are never listed or cached; renders read them by name and the periodic reconciliation
     * ({@code CONDUIT_SECRET_RESYNC}) picks up their rotation.
     */
    private static InformerEventSource<Secret, EdgeGateway> watchedSecrets(EventSourceContext<EdgeGateway> context) {
        var config = InformerEventSourceConfiguration.from(Secret.class, EdgeGateway.class)
                .withName(WATCHED_SECRETS)
                .withLabelSelector(ReferencedSecrets.WATCH_SELECTOR)
                .withSecondaryToPrimaryMapper((Secret secret) -> context.getPrimaryCache()
                        .list(g -> secret.getMetadata().getNamespace().equals(g.getMetadata().getNamespace())
                                || (g.getSpec() != null && g.getSpec().allowedRoutes() != null
                                && g.getSpec().allowedRoutes().namespaces() == EdgeGatewaySpec.RouteNamespaces.All))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build();
        return new InformerEventSource<>(config, context);
    }

    /**
     * Objects the operator labelled as a gateway's (pods, and the ReplicaSets that carry the pod template's labels),
     * mapped to their EdgeGateway by the instance label: a pod turning ready is pushed to, and a ReplicaSet says
     * which pods the gateway's Deployment really owns.
     */
    private static <R extends HasMetadata> InformerEventSource<R, EdgeGateway> gatewayLabelled(Class<R> type, String name,
                                                                                                 EventSourceContext<EdgeGateway> context) {
        var config = InformerEventSourceConfiguration.from(type, EdgeGateway.class)
                .withName(name)
                .withLabelSelector(GatewayNames.MANAGED_BY_LABEL + "=conduit-operator")
                .withSecondaryToPrimaryMapper((R resource) -> {
                    String gateway = resource.getMetadata().getLabels().get(GatewayNames.INSTANCE_LABEL);
                    return gateway == null ? Set.of() : Set.of(new ResourceID(gateway, resource.getMetadata().getNamespace()));
                })
                .build();
        return new InformerEventSource<>(config, context);
    }

    private static Set<ResourceID> gatewaysIn(String namespace, EventSourceContext<EdgeGateway> context) {
        return context.getPrimaryCache().list(namespace)
                .map(g -> new ResourceID(g.getMetadata().getName(), namespace))
                .collect(Collectors.toSet());
    }
}
