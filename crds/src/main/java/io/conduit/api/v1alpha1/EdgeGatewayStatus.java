package io.conduit.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.List;

/** Conditions {@code Ready}, {@code Available}, {@code ConfigSynced}, and the counts behind them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EdgeGatewayStatus(
        Long observedGeneration,
        List<Condition> conditions,
        @StatusReplicas Integer replicas,
        Integer readyReplicas,
        Integer updatedReplicas,
        String configRevision,
        @LabelSelector String selector,
        Integer attachedRoutes) implements ConditionedStatus {
}
