package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.EdgeGatewaySpec;
import io.conduit.api.v1alpha1.EdgeGatewayStatus;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.operator.ReferencedSecrets;
import io.conduit.operator.status.EventRecorder;
import io.conduit.render.RenderResult;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.conduit.config.ConfigJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps an EdgeGateway's owned objects in line with its rendered config. Thin on purpose: the
 * dependents build the objects, {@link GatewayRendering} renders, and this class only reports status.
 * Any change to a RouteRule or backend in the namespace re-renders every EdgeGateway there; so does a change
 * of a watched Secret, and the periodic reconciliation re-reads the unwatched ones it references.
 */
@ControllerConfiguration
@Workflow(dependents = {
        @Dependent(type = GatewayServiceAccountDependent.class),
        @Dependent(type = GatewayConfigMapDependent.class),
        @Dependent(type = GatewayCredentialsDependent.class),
        @Dependent(type = GatewayDeploymentDependent.class),
        @Dependent(type = GatewayServiceDependent.class),
        @Dependent(type = GatewayNetworkPolicyDependent.class),
        @Dependent(type = GatewayDisruptionBudgetDependent.class,
                reconcilePrecondition = GatewayDisruptionBudgetDependent.MultipleReplicas.class)
})
public class EdgeGatewayReconciler implements Reconciler<EdgeGateway> {

    private final ConfigPusher pusher = new ConfigPusher();
    private final Map<ResourceID, PodRevisions> revisions = new ConcurrentHashMap<>();
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
        RenderResult rendering = GatewayRendering.of(gateway, context);
        String revision = rendering.config().revision();
        long generation = gateway.getMetadata().getGeneration() == null ? 0 : gateway.getMetadata().getGeneration();
        int replicas = gateway.getSpec() == null || gateway.getSpec().replicas() == null ? 1 : gateway.getSpec().replicas();

        // Push the rendered config to every ready pod that does not run it yet; pods that become
        // ready trigger a reconciliation through the Pod informer and get pushed to here.
        String token = AdminTokens.ensure(context.getClient(), gateway, cachedSecret(context,
                new ResourceID(AdminTokens.name(gateway), gateway.getMetadata().getNamespace())));
        List<Pod> pods = OwnPods.of(context.getSecondaryResourcesAsStream(Pod.class)
                        .filter(p -> gateway.getMetadata().getName().equals(p.getMetadata().getLabels().get(GatewayNames.INSTANCE_LABEL)))
                        .toList(),
                context.getSecondaryResourcesAsStream(ReplicaSet.class).toList(),
                context.getSecondaryResource(Deployment.class).map(d -> d.getMetadata().getUid()).orElse(null));
        List<Pod> ready = pods.stream().filter(EdgeGatewayReconciler::isReady).toList();
        PodRevisions acked = revisions.computeIfAbsent(ResourceID.fromResource(gateway), id -> new PodRevisions());
        acked.retainOnly(PodRevisions.uids(pods));
        String configJson = ConfigJson.write(rendering.config());
        List<String> failures = new ArrayList<>();
        List<String> pushed = new ArrayList<>();
        for (Pod pod : ready) {
            if (revision.equals(acked.of(pod))) {
                continue;
            }
            ConfigPusher.Outcome outcome = pusher.push(pod, configJson, token);
            if (outcome.ok()) {
                acked.acknowledged(pod, outcome.revision());
                pushed.add(pod.getMetadata().getName());
            } else {
                failures.add(pod.getMetadata().getName() + ": " + outcome.error());
            }
        }
        int updated = (int) ready.stream().filter(p -> revision.equals(acked.of(p))).count();
        served.update(gatewayKey(gateway), rendering.config(), ready.stream().map(acked::of).toList());
        if (!pushed.isEmpty()) {
            EventRecorder.normal(context.getClient(), gateway, "ConfigPushed", "revision " + revision + " ("
                    + rendering.config().routes().size() + " routes) acknowledged by " + String.join(", ", pushed));
        }
        boolean wasFailing = gateway.getStatus() != null && gateway.getStatus().conditions() != null
                && gateway.getStatus().conditions().stream().anyMatch(c -> "PushFailed".equals(c.getReason()));
        if (!failures.isEmpty() && !wasFailing) {
            // Once per failure streak: retries every few seconds would otherwise flood the namespace's events.
            EventRecorder.warning(context.getClient(), gateway, "PushFailed", "revision " + revision
                    + " not acknowledged by " + String.join("; ", failures));
        }

        List<Condition> previous = gateway.getStatus() == null ? List.of() : gateway.getStatus().conditions();
        List<String> gatewayProblems = rendering.problems().stream()
                .filter(p -> p.resource().kind().equals("EdgeGateway")).map(p -> p.message()).toList();
        List<Condition> conditions = GatewayConditions.of(previous, generation, replicas, ready.size(), updated, revision,
                rendering.config().routes().size(), failures, gatewayProblems);
        EdgeGatewayStatus status = new EdgeGatewayStatus(generation, conditions, pods.size(), ready.size(), updated,
                revision, GatewayNames.selectorString(gateway), rendering.config().routes().size());
        // An unchanged status is not written: RouteRule reconcilers watch gateways, and a write would wake them for nothing.
        boolean changed = !status.equals(gateway.getStatus());
        gateway.setStatus(status);
        UpdateControl<EdgeGateway> control = changed ? UpdateControl.patchStatus(gateway) : UpdateControl.noUpdate();
        return failures.isEmpty() ? control : control.rescheduleAfter(RETRY_PUSH);
    }

    /** Event source of the user Secrets labelled {@link ReferencedSecrets#WATCH_LABEL}; its cache serves renders. */
    static final String WATCHED_SECRETS = "watched-secrets";
    /** Event source of the Secrets the operator made for its gateways (admin token, credentials). */
    static final String OWN_SECRETS = "gateway-secrets";

    /** One of the gateways' own Secrets (labelled as the operator's) from the informer's cache, or null. */
    @SuppressWarnings("unchecked")
    static Secret cachedSecret(Context<EdgeGateway> context, ResourceID id) {
        var secrets = (InformerEventSource<Secret, EdgeGateway>) context.eventSourceRetriever()
                .getEventSourceFor(Secret.class, OWN_SECRETS);
        return secrets.get(id).orElse(null);
    }

    /** How {@link ServedRules} names a gateway: {@code namespace/name}. */
    public static String gatewayKey(HasMetadata gateway) {
        return gateway.getMetadata().getNamespace() + "/" + gateway.getMetadata().getName();
    }

    static final Duration RETRY_PUSH = Duration.ofSeconds(5);

    static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getPodIP() != null && pod.getMetadata().getDeletionTimestamp() == null
                && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    @Override
    public List<EventSource<?, EdgeGateway>> prepareEventSources(EventSourceContext<EdgeGateway> context) {
        return List.of(
                namespaceWide(RouteRule.class, context),
                namespaceWide(BlobBackend.class, context),
                namespaceWide(QueueBackend.class, context),
                watchedSecrets(context),
                gatewayLabelled(Secret.class, OWN_SECRETS, context),
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
                        || !java.util.Objects.equals(newer.getMetadata().getLabels(), older.getMetadata().getLabels()))
                .build();
        return new InformerEventSource<>(config, context);
    }

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
