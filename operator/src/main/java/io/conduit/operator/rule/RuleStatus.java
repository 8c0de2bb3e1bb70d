package io.conduit.operator.rule;

import io.conduit.operator.gateway.ServedRules;
import io.conduit.operator.status.Conditions;
import io.conduit.render.Problem;
import io.conduit.render.RuleVerdict;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * A RouteRule's conditions from what the renderer said on each gateway, which named backends report
 * not Ready, and what the gateways' pods acknowledged. Pure: the reconciler gathers, this decides.
 */
final class RuleStatus {
    static final String ACCEPTED = "Accepted";
    static final String RESOLVED_REFS = "ResolvedRefs";
    static final String PROGRAMMED = "Programmed";

    private RuleStatus() {
    }

    /**
     * @param notReadyBackends backends the rule names whose {@code Ready} is False, with their messages
     * @param served           state of (gateway, routeId) for this generation
     */
    static List<Condition> conditions(List<Condition> previous, long generation, String routeId,
                                      RuleRendering.Judgement judgement, Map<String, String> notReadyBackends,
                                      BiFunction<String, String, ServedRules.State> served,
                                      BiFunction<String, String, String> progress) {
        Conditions c = new Conditions(previous, generation);
        List<RuleRendering.OnGateway> on = judgement.gateways();
        List<RuleVerdict> verdicts = on.isEmpty() ? List.of(judgement.alone()) : on.stream().map(RuleRendering.OnGateway::verdict).toList();

        // Accepted: the rule is valid and conflicts with nothing, on every gateway that has it.
        List<String> rejections = new ArrayList<>();
        String rejectReason = null;
        for (int i = 0; i < verdicts.size(); i++) {
            RuleVerdict.Check accepted = verdicts.get(i).accepted();
            if (!accepted.ok()) {
                rejectReason = rejectReason == null ? accepted.reason() : rejectReason;
                rejections.add((on.size() > 1 ? "on EdgeGateway " + on.get(i).gateway() + ": " : "") + accepted.message());
            }
        }
        if (rejectReason != null) {
            c.set(ACCEPTED, false, rejectReason, String.join("; ", rejections));
        } else {
            c.set(ACCEPTED, true, "Accepted", on.isEmpty() ? "valid, but attached to no EdgeGateway"
                    : "valid; attached to EdgeGateway " + on.stream().map(RuleRendering.OnGateway::gateway).collect(Collectors.joining(", ")));
        }

        // ResolvedRefs: the gateways it names exist and take it; its backends exist, are usable and Ready.
        RuleVerdict.Check refs = verdicts.stream().map(RuleVerdict::resolvedRefs).filter(r -> !r.ok()).findFirst()
                .orElse(RuleVerdict.Check.OK);
        if (on.isEmpty()) {
            c.set(RESOLVED_REFS, false, Problem.GATEWAY_NOT_FOUND, judgement.missingGateways().isEmpty()
                    ? "no EdgeGateway in namespace " + routeId.substring(0, routeId.indexOf('/')) + " takes the rule"
                    : "EdgeGateway " + String.join(", ", judgement.missingGateways()) + " not found or does not admit the rule's namespace");
        } else if (!refs.ok()) {
            c.set(RESOLVED_REFS, false, refReason(refs.reason()), refs.message());
        } else if (!judgement.missingGateways().isEmpty()) {
            c.set(RESOLVED_REFS, false, Problem.GATEWAY_NOT_FOUND, "EdgeGateway " + String.join(", ", judgement.missingGateways())
                    + " not found or does not admit the rule's namespace");
        } else if (!notReadyBackends.isEmpty()) {
            c.set(RESOLVED_REFS, false, Problem.BACKEND_NOT_READY, notReadyBackends.entrySet().stream()
                    .map(e -> e.getKey() + " is not Ready: " + e.getValue()).collect(Collectors.joining("; ")));
        } else {
            c.set(RESOLVED_REFS, true, "ResolvedRefs", "every reference resolved");
        }

        // Programmed: live on every ready pod of every gateway that serves it.
        boolean servable = !on.isEmpty() && verdicts.stream().allMatch(RuleVerdict::served);
        if (on.isEmpty()) {
            c.set(PROGRAMMED, false, Problem.GATEWAY_NOT_FOUND, "no EdgeGateway serves the rule");
        } else if (!servable) {
            c.set(PROGRAMMED, false, rejectReason != null ? rejectReason : refReason(refs.reason()),
                    "left out of the gateway config until the problems above are fixed; other rules keep serving");
        } else {
            List<String> waiting = new ArrayList<>();
            boolean noPods = false;
            for (RuleRendering.OnGateway g : on) {
                ServedRules.State state = served.apply(g.gateway(), routeId);
                if (state != ServedRules.State.PROGRAMMED) {
                    noPods |= state == ServedRules.State.NO_READY_PODS;
                    waiting.add("EdgeGateway " + g.gateway() + ": " + progress.apply(g.gateway(), routeId) + " run generation " + generation);
                }
            }
            if (waiting.isEmpty()) {
                c.set(PROGRAMMED, true, "Programmed", "generation " + generation + " is live on every ready pod of "
                        + on.stream().map(RuleRendering.OnGateway::gateway).collect(Collectors.joining(", ")));
            } else {
                c.set(PROGRAMMED, false, noPods ? "NoReadyReplicas" : "Pending", String.join("; ", waiting));
            }
        }
        return c.list();
    }

    /** Missing Secrets or invalid backends make the backend unusable: for the rule, not ready. */
    private static String refReason(String reason) {
        return Problem.BACKEND_NOT_FOUND.equals(reason) || Problem.GATEWAY_NOT_FOUND.equals(reason) ? reason : Problem.BACKEND_NOT_READY;
    }

    static List<Condition> firstSeen(long generation) {
        return new Conditions(List.of(), generation)
                .unknown(ACCEPTED, "Pending", "not yet evaluated by the operator")
                .unknown(RESOLVED_REFS, "Pending", "not yet evaluated by the operator")
                .unknown(PROGRAMMED, "Pending", "not yet evaluated by the operator")
                .list();
    }
}
