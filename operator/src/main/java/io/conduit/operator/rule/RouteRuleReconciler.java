package io.conduit.operator.rule;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.LocalObjectReference;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.operator.ReferencedSecrets;
import io.conduit.operator.WatchedNamespaces;
import io.conduit.api.v1alpha1.RouteRuleSpec;
import io.conduit.api.v1alpha1.RouteRuleStatus;
import io.conduit.operator.gateway.ServedRules;
import io.conduit.operator.status.EventRecorder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reports a RouteRule's {@code Accepted}, {@code ResolvedRefs} and {@code Programmed}. It writes only
 * the rule's status: whether the rule is served is decided by the EdgeGateway's render, which this
 * reconciler repeats to explain it. Status goes out as a JSON patch of the status subresource only
 * (JOSDK's non-SSA status patch), so it never overwrites the spec or another writer's fields.
 */
@ControllerConfiguration
public class RouteRuleReconciler implements Reconciler<RouteRule> {
    /** While a served rule waits for pods to acknowledge it; gateway status changes usually come sooner. */
    static final Duration RECHECK_PENDING = Duration.ofSeconds(2);

    private final ServedRules served;

    public RouteRuleReconciler(ServedRules served) {
        this.served = served;
    }

    @Override
    public UpdateControl<RouteRule> reconcile(RouteRule rule, Context<RouteRule> context) {
        long generation = rule.getMetadata().getGeneration() == null ? 0 : rule.getMetadata().getGeneration();
        List<Condition> previous = rule.getStatus() == null || rule.getStatus().conditions() == null ? List.of()
                : rule.getStatus().conditions();
        if (previous.isEmpty()) {
            // First sight: say so at once, then evaluate (rendering may take a moment on a busy namespace).
            rule.setStatus(new RouteRuleStatus(generation, RuleStatus.firstSeen(generation)));
            return UpdateControl.patchStatus(rule).rescheduleAfter(Duration.ofMillis(50));
        }
        KubernetesClient client = context.getClient();
        String routeId = rule.getMetadata().getNamespace() + "/" + rule.getMetadata().getName();
        RuleRendering.Judgement judgement = RuleRendering.judge(rule, client, WatchedNamespaces.of(context));
        List<Condition> conditions = RuleStatus.conditions(previous, generation, routeId, judgement,
                notReadyBackends(rule, client),
                (gateway, id) -> served.state(gateway, id, generation),
                (gateway, id) -> served.progress(gateway, id, generation));

        Condition accepted = find(conditions, RuleStatus.ACCEPTED);
        Condition before = find(previous, RuleStatus.ACCEPTED);
        if ("False".equals(accepted.getStatus()) && (before == null || !"False".equals(before.getStatus())
                || !accepted.getMessage().equals(before.getMessage()))) {
            EventRecorder.warning(client, rule, "RuleRejected", accepted.getReason() + ": " + accepted.getMessage());
        }
        RouteRuleStatus status = new RouteRuleStatus(generation, conditions);
        // Unchanged status is not written: every write wakes the EdgeGateway reconcilers watching rules.
        boolean changed = !status.equals(rule.getStatus());
        rule.setStatus(status);
        UpdateControl<RouteRule> control = changed ? UpdateControl.patchStatus(rule) : UpdateControl.noUpdate();
        Condition programmed = find(conditions, RuleStatus.PROGRAMMED);
        boolean waitingForPods = "False".equals(programmed.getStatus())
                && ("Pending".equals(programmed.getReason()) || "NoReadyReplicas".equals(programmed.getReason()));
        return waitingForPods ? control.rescheduleAfter(RECHECK_PENDING) : control;
    }

    private static Condition find(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    /** Backends the rule names by name whose own status says {@code Ready=False}. */
    static Map<String, String> notReadyBackends(RouteRule rule, KubernetesClient client) {
        String ns = rule.getMetadata().getNamespace();
        RouteRuleSpec spec = rule.getSpec();
        Map<String, String> notReady = new LinkedHashMap<>();
        if (spec == null || spec.send() == null) {
            return notReady;
        }
        String blobName = spec.send().blob() == null ? null : LocalObjectReference.nameOf(spec.send().blob().backendRef());
        if (blobName != null) {
            check(client.resources(BlobBackend.class).inNamespace(ns).withName(blobName).get(), notReady);
        }
        Stream.of(spec.send().queue() == null ? null : LocalObjectReference.nameOf(spec.send().queue().backendRef()),
                        spec.onComplete() == null || spec.onComplete().enqueue() == null ? null
                                : LocalObjectReference.nameOf(spec.onComplete().enqueue().backendRef()))
                .filter(name -> name != null)
                .distinct()
                .forEach(name -> check(client.resources(QueueBackend.class).inNamespace(ns).withName(name).get(), notReady));
        return notReady;
    }

    private static void check(HasMetadata backend, Map<String, String> notReady) {
        if (backend == null) {
            return;
        }
        var status = backend instanceof BlobBackend b ? b.getStatus() : ((QueueBackend) backend).getStatus();
        if (status == null || status.conditions() == null) {
            return;
        }
        status.conditions().stream()
                .filter(c -> "Ready".equals(c.getType()) && "False".equals(c.getStatus()))
                .findFirst()
                .ifPresent(c -> notReady.put(backend.getKind() + " " + backend.getMetadata().getName(), c.getMessage()));
    }

    @Override
    public List<EventSource<?, RouteRule>> prepareEventSources(EventSourceContext<RouteRule> context) {
        return List.of(
                rulesOfNamespace(BlobBackend.class, null, context),
                rulesOfNamespace(QueueBackend.class, null, context),
                // Only watched Secrets: unlabelled ones reach rules through their backends' periodic recheck.
                rulesOfNamespace(Secret.class, ReferencedSecrets.WATCH_SELECTOR, context),
                gateways(context));
    }

    /** A backend or Secret changing can change the verdict of any rule of its namespace. */
    private static <R extends HasMetadata> InformerEventSource<R, RouteRule> rulesOfNamespace(Class<R> type, String labelSelector,
                                                                                              EventSourceContext<RouteRule> context) {
        var config = InformerEventSourceConfiguration.from(type, RouteRule.class)
                .withName("rule-" + type.getSimpleName())
                .withLabelSelector(labelSelector)
                .withSecondaryToPrimaryMapper((R resource) -> rulesIn(resource.getMetadata().getNamespace(), context))
                .build();
        return new InformerEventSource<>(config, context);
    }

    /**
     * An EdgeGateway's changes (its spec, and its status, which moves when pods acknowledge a revision)
     * concern the rules it may take: those of its namespace, or all when it admits every namespace.
     */
    private static InformerEventSource<EdgeGateway, RouteRule> gateways(EventSourceContext<RouteRule> context) {
        var config = InformerEventSourceConfiguration.from(EdgeGateway.class, RouteRule.class)
                .withName("rule-EdgeGateway")
                .withSecondaryToPrimaryMapper((EdgeGateway gateway) -> RuleRendering.allowsAllNamespaces(gateway)
                        ? context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet())
                        : rulesIn(gateway.getMetadata().getNamespace(), context))
                .build();
        return new InformerEventSource<>(config, context);
    }

    private static Set<ResourceID> rulesIn(String namespace, EventSourceContext<RouteRule> context) {
        return context.getPrimaryCache().list(namespace).map(ResourceID::fromResource).collect(Collectors.toSet());
    }
}
