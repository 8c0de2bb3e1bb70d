package io.conduit.operator.rule;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.api.v1alpha1.RouteRuleStatus;
import io.conduit.operator.HealthSample;
import io.conduit.operator.gateway.ServedRules;
import io.conduit.operator.gateway.ServedRulesFixture;
import io.conduit.render.GatewayRenderer;
import io.conduit.render.RenderResult;
import io.conduit.render.ResourceSet;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RouteRule statuses as the operator writes them: the rule rendered by the real renderer on gateway
 * issues/edge, its conditions from {@link RuleStatus}, and what the gateway's pods acknowledged from
 * {@link ServedRules}. Nothing here is typed by hand but the specs.
 */
public final class RouteRuleHealthSamples {
    static final String NS = "issues";
    static final String GATEWAY = NS + "/edge";
    static final String RULE_ID = NS + "/new-issue";

    private RouteRuleHealthSamples() {
    }

    static RouteRule rule(long generation, String send) {
        RouteRule rule = Serialization.unmarshal("""
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: new-issue, namespace: issues, generation: %d}
                spec:
                  gatewayRefs: [{name: edge}]
                  when: {http: {method: POST, path: /issues}}
                  send: %s
                """.formatted(generation, send), RouteRule.class);
        return rule;
    }

    static final String GOOD = "{queue: {queue: issues}}";
    static final String INVALID = "{queue: {queue: issues, message: {file: $blobRef}}}";

    /** The gateway, with or without a default queue backend (the rule names none, so it takes the default). */
    static RenderResult render(RouteRule rule, boolean withBackend) {
        EdgeGateway gateway = Serialization.unmarshal("""
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge, namespace: issues, generation: 1}
                spec: {replicas: 2%s}
                """.formatted(withBackend ? ", defaultQueueBackendRef: {name: jobs}" : ""), EdgeGateway.class);
        QueueBackend jobs = Serialization.unmarshal("""
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: jobs, namespace: issues, generation: 1}
                spec: {type: spool, spool: {path: /data/queues}}
                """, QueueBackend.class);
        return new GatewayRenderer().render(new ResourceSet(List.of(), withBackend ? List.of(jobs) : List.of(),
                List.of(rule), List.of(gateway), List.of()), NS, "edge");
    }

    static RouteRule withStatus(RouteRule rule, List<Condition> conditions) {
        rule.setStatus(new RouteRuleStatus(rule.getMetadata().getGeneration(), conditions));
        return rule;
    }

    /** The rule's conditions after a render, with the pods of issues/edge running {@code served}. */
    static List<Condition> conditions(RouteRule rule, RenderResult render, ServedRules served) {
        long generation = rule.getMetadata().getGeneration();
        var verdict = render.rules().stream().filter(v -> v.rule().name().equals("new-issue")).findFirst().orElseThrow();
        var judgement = new RuleRendering.Judgement(List.of(new RuleRendering.OnGateway(GATEWAY, verdict)), null, List.of());
        return RuleStatus.conditions(RuleStatus.firstSeen(generation), generation, RULE_ID, judgement, Map.of(),
                (g, id) -> served.state(g, id, generation), (g, id) -> served.progress(g, id, generation));
    }

    static String message(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow().getMessage();
    }

    public static List<HealthSample> all() {
        List<HealthSample> samples = new ArrayList<>();

        RenderResult v1 = render(rule(1, GOOD), true);
        RenderResult v2 = render(rule(2, GOOD), true);
        String old = v1.config().revision();
        String current = v2.config().revision();

        List<Condition> live = conditions(rule(2, GOOD), v2, ServedRulesFixture.after(GATEWAY, v1.config(), List.of(old, old),
                v2.config(), List.of(current, current)));
        samples.add(new HealthSample("healthy", withStatus(rule(2, GOOD), live), "Healthy", message(live, RuleStatus.PROGRAMMED)));

        // A rollout: one of two ready pods acknowledged generation 2, the other still runs generation 1.
        List<Condition> rollout = conditions(rule(2, GOOD), v2, ServedRulesFixture.after(GATEWAY, v1.config(), List.of(old, old),
                v2.config(), List.of(current, old)));
        samples.add(new HealthSample("progressing-rollout", withStatus(rule(2, GOOD), rollout), "Progressing",
                message(rollout, RuleStatus.PROGRAMMED)));

        // Ready pods that acknowledged nothing yet (just started, or the operator just restarted).
        List<Condition> unacked = conditions(rule(2, GOOD), v2, ServedRulesFixture.after(GATEWAY, v2.config(), List.of(),
                v2.config(), java.util.Arrays.asList(null, current)));
        samples.add(new HealthSample("progressing-unacknowledged", withStatus(rule(2, GOOD), unacked), "Progressing",
                message(unacked, RuleStatus.PROGRAMMED)));

        List<Condition> noPods = conditions(rule(2, GOOD), v2, ServedRulesFixture.after(GATEWAY, v2.config(), List.of(),
                v2.config(), List.of()));
        samples.add(new HealthSample("progressing-no-ready-pods", withStatus(rule(2, GOOD), noPods), "Progressing",
                message(noPods, RuleStatus.PROGRAMMED)));

        List<Condition> first = RuleStatus.firstSeen(2);
        samples.add(new HealthSample("progressing-first-seen", withStatus(rule(2, GOOD), first), "Progressing",
                message(first, RuleStatus.PROGRAMMED)));

        samples.add(new HealthSample("progressing-no-status", rule(1, GOOD), "Progressing",
                "Waiting for the Conduit operator to report status"));

        RenderResult invalid = render(rule(2, INVALID), true);
        List<Condition> rejected = conditions(rule(2, INVALID), invalid, ServedRulesFixture.after(GATEWAY, invalid.config(),
                List.of(invalid.config().revision(), invalid.config().revision()), invalid.config(),
                List.of(invalid.config().revision(), invalid.config().revision())));
        samples.add(new HealthSample("degraded-invalid", withStatus(rule(2, INVALID), rejected), "Degraded",
                message(rejected, RuleStatus.ACCEPTED)));

        // The fix of that invalid generation 2 was applied (generation 3) and not reconciled yet: the stale False must not show.
        RouteRule fixed = withStatus(rule(2, INVALID), rejected);
        fixed.setSpec(rule(3, GOOD).getSpec());
        fixed.getMetadata().setGeneration(3L);
        samples.add(new HealthSample("progressing-generation", fixed, "Progressing",
                "Waiting for the Conduit operator to observe generation 3"));

        RenderResult orphan = render(rule(2, GOOD), false);
        List<Condition> unresolved = conditions(rule(2, GOOD), orphan, ServedRulesFixture.after(GATEWAY, orphan.config(),
                List.of(), orphan.config(), List.of(orphan.config().revision(), orphan.config().revision())));
        samples.add(new HealthSample("degraded-backend-not-found", withStatus(rule(2, GOOD), unresolved), "Degraded",
                message(unresolved, RuleStatus.RESOLVED_REFS)));
        return samples;
    }
}
