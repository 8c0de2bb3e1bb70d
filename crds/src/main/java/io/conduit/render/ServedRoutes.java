package io.conduit.render;

import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.config.RouteConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The attached rules run through the rule renderer and the conflict check, in order: the routes
 * served, one verdict per rule, and the problems of the rules that are not served.
 */
record ServedRoutes(List<RouteConfig> routes, List<RuleVerdict> verdicts, List<Problem> problems) {

    /** @param attached oldest first, so that a conflict goes against the younger rule */
    static ServedRoutes of(List<RouteRule> attached, RuleRenderer.Backends backends) {
        RuleRenderer ruleRenderer = new RuleRenderer();
        RouteConflicts taken = new RouteConflicts();
        ServedRoutes served = new ServedRoutes(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (RouteRule rule : attached) {
            ResourceId id = ResourceId.of(rule);
            long generation = rule.getMetadata().getGeneration() == null ? 0 : rule.getMetadata().getGeneration();
            RuleRenderer.Outcome outcome = ruleRenderer.render(rule, backends);
            if (outcome.problem() != null) {
                served.problems.add(outcome.problem());
                served.verdicts.add(outcome.refProblem()
                        ? new RuleVerdict(id, generation, RuleVerdict.Check.OK, RuleVerdict.Check.failed(outcome.problem()))
                        : new RuleVerdict(id, generation, RuleVerdict.Check.failed(outcome.problem()), RuleVerdict.Check.OK));
                continue;
            }
            Optional<Problem> conflict = taken.take(id, outcome.route());
            if (conflict.isPresent()) {
                served.problems.add(conflict.get());
                served.verdicts.add(new RuleVerdict(id, generation, RuleVerdict.Check.failed(conflict.get()), RuleVerdict.Check.OK));
                continue;
            }
            served.routes.add(outcome.route());
            served.verdicts.add(new RuleVerdict(id, generation, RuleVerdict.Check.OK, RuleVerdict.Check.OK));
        }
        return served;
    }
}
