package io.conduit.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What every Conduit status has: the generation it describes and its conditions. */
public interface ConditionedStatus {
    Long observedGeneration();

    List<Condition> conditions();
}
