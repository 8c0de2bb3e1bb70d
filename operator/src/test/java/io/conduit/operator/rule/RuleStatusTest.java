package io.conduit.operator.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.operator.gateway.ServedRules;
import io.conduit.render.ResourceId;
import io.conduit.render.RuleVerdict;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decisions behind a RouteRule's conditions, without an API server. */
class RuleStatusTest {
    static final ResourceId RULE = new ResourceId("RouteRule", "shop", "r");
    static final RuleVerdict OK = new RuleVerdict(RULE, 3, RuleVerdict.Check.OK, RuleVerdict.Check.OK);

    static List<Condition> conditions(List<Condition> previous, RuleRendering.Judgement judgement, Map<String, String> notReady,
                                      ServedRules.State state) {
        return RuleStatus.conditions(previous, 3, "shop/r", judgement, notReady, (g, id) -> state, (g, id) -> "1 of 2 ready pods");
    }

    static String of(List<Condition> conditions, String type) {
        Condition c = conditions.stream().filter(x -> x.getType().equals(type)).findFirst().orElseThrow();
        return c.getStatus() + "/" + c.getReason();
    }

    static RuleRendering.Judgement on(RuleVerdict verdict) {
        return new RuleRendering.Judgement(List.of(new RuleRendering.OnGateway("shop/edge", verdict)), null, List.of());
    }

    @Test
    void programmedOnlyWhenEveryReadyPodRunsTheGeneration() {
        List<Condition> pending = conditions(List.of(), on(OK), Map.of(), ServedRules.State.PENDING);
        assertThat(of(pending, "Programmed")).isEqualTo("False/Pending");
        assertThat(pending).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(3L));
        assertThat(of(conditions(pending, on(OK), Map.of(), ServedRules.State.PROGRAMMED), "Programmed")).isEqualTo("True/Programmed");
        assertThat(of(conditions(pending, on(OK), Map.of(), ServedRules.State.NO_READY_PODS), "Programmed"))
                .isEqualTo("False/NoReadyReplicas");
    }

    @Test
    void aRejectedRuleIsNotProgrammedAndKeepsTheRenderersReason() {
        RuleVerdict conflicted = new RuleVerdict(RULE, 3, new RuleVerdict.Check(false, "Conflicted", "same as shop/old"),
                RuleVerdict.Check.OK);
        List<Condition> c = conditions(List.of(), on(conflicted), Map.of(), ServedRules.State.PROGRAMMED);
        assertThat(of(c, "Accepted")).isEqualTo("False/Conflicted");
        assertThat(of(c, "Programmed")).isEqualTo("False/Conflicted");
        assertThat(of(c, "ResolvedRefs")).isEqualTo("True/ResolvedRefs");
    }

    @Test
    void aBackendThatIsNotReadyUnresolvesButDoesNotUnserve() {
        List<Condition> c = conditions(List.of(), on(OK), Map.of("QueueBackend q", "Redis down"), ServedRules.State.PROGRAMMED);
        assertThat(of(c, "ResolvedRefs")).isEqualTo("False/BackendNotReady");
        assertThat(of(c, "Programmed")).isEqualTo("True/Programmed");
    }

    @Test
    void anUnusableBackendReadsAsNotReadyAndAMissingOneAsNotFound() {
        RuleVerdict secretMissing = new RuleVerdict(RULE, 3, RuleVerdict.Check.OK,
                new RuleVerdict.Check(false, "SecretNotFound", "Secret shop/x not found"));
        assertThat(of(conditions(List.of(), on(secretMissing), Map.of(), ServedRules.State.PENDING), "ResolvedRefs"))
                .isEqualTo("False/BackendNotReady");
        RuleVerdict missing = new RuleVerdict(RULE, 3, RuleVerdict.Check.OK,
                new RuleVerdict.Check(false, "BackendNotFound", "QueueBackend q not found"));
        assertThat(of(conditions(List.of(), on(missing), Map.of(), ServedRules.State.PENDING), "ResolvedRefs"))
                .isEqualTo("False/BackendNotFound");
    }

    @Test
    void lastTransitionTimeMovesOnlyOnAFlip() {
        Condition old = new io.fabric8.kubernetes.api.model.ConditionBuilder().withType("Accepted").withStatus("True")
                .withReason("Accepted").withMessage("m").withObservedGeneration(2L).withLastTransitionTime("2020-01-01T00:00:00Z").build();
        List<Condition> same = conditions(List.of(old), on(OK), Map.of(), ServedRules.State.PENDING);
        assertThat(same.stream().filter(c -> c.getType().equals("Accepted")).findFirst().orElseThrow().getLastTransitionTime())
                .isEqualTo("2020-01-01T00:00:00Z");
        RuleVerdict invalid = new RuleVerdict(RULE, 3, new RuleVerdict.Check(false, "Invalid", "bad"), RuleVerdict.Check.OK);
        List<Condition> flipped = conditions(List.of(old), on(invalid), Map.of(), ServedRules.State.PENDING);
        assertThat(flipped.stream().filter(c -> c.getType().equals("Accepted")).findFirst().orElseThrow().getLastTransitionTime())
                .isNotEqualTo("2020-01-01T00:00:00Z");
    }

    @Test
    void firstSightIsUnknownForEveryCondition() {
        assertThat(RuleStatus.firstSeen(1)).extracting(Condition::getStatus).containsOnly("Unknown");
        assertThat(RuleStatus.firstSeen(1)).extracting(Condition::getType).containsExactly("Accepted", "ResolvedRefs", "Programmed");
    }
}
