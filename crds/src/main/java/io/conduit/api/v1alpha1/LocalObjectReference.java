package io.conduit.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A reference to another object in the referring object's namespace, written {@code {name: jobs}} as the
 * Kubernetes API conventions ask of a field named {@code fooRef}; the kind is implied by the field.
 */
public record LocalObjectReference(
        // maxLength bounds the cost the API server estimates for CEL rules over lists of references.
        @Required @Size(min = 1, max = 253) @JsonPropertyDescription("Name of the object, in the same namespace.") String name) {

    /** The name, or null for an absent reference. */
    public static String nameOf(LocalObjectReference ref) {
        return ref == null ? null : ref.name();
    }
}
