package io.conduit.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Status of a BlobBackend or QueueBackend: {@code Ready} plus one condition per provisioning step. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackendStatus(Long observedGeneration, List<Condition> conditions) implements ConditionedStatus {
}
