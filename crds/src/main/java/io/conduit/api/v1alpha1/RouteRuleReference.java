package io.conduit.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * A RouteRule named by an EdgeGateway's policies, {@code {name: upload}} or {@code {name: ping, namespace: shop}}:
 * cross-namespace like {@code gatewayRefs}, the namespace defaulting to the gateway's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouteRuleReference(
        @Required @Pattern("^[^/]+$") @JsonPropertyDescription("Name of the RouteRule.") String name,
        @Pattern("^[^/]+$") @JsonPropertyDescription("Namespace of the RouteRule; the EdgeGateway's when unset.") String namespace) {

    /** The rule's id as the gateway config keys rules: namespace/name. */
    public String id(String defaultNamespace) {
        return (namespace == null || namespace.isBlank() ? defaultNamespace : namespace) + "/" + name;
    }
}
