package io.conduit.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Conditions {@code Accepted}, {@code ResolvedRefs} and {@code Programmed}, as in the Gateway API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouteRuleStatus(Long observedGeneration, List<Condition> conditions) implements ConditionedStatus {
}
