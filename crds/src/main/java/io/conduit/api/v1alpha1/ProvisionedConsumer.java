package io.conduit.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A worker identity the operator provisions in a store, written into a Secret of the backend's namespace. */
public record ProvisionedConsumer(
        @Required @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
        @JsonPropertyDescription("Name of the consumer, part of its user name in the store.") String name,
        @Required @Pattern("^[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?$")
        @JsonPropertyDescription("Secret the operator writes the identity and connection details into, in the backend's namespace.")
        String secretName) {
}
