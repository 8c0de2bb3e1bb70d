package io.conduit.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A Secret in the same namespace as the resource that names it. */
public record SecretRef(
        @Required @JsonPropertyDescription("Name of a Secret in the same namespace.") String name) {
}
