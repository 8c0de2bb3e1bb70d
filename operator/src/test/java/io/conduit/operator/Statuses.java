package io.conduit.operator;

import io.conduit.api.v1alpha1.ConditionedStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/** Reads conditions the way {@code kubectl get -o yaml} shows them: from the API server, each time afresh. */
public final class Statuses {
    private Statuses() {
    }

    public static <T extends CustomResource<?, ? extends ConditionedStatus>> Optional<Condition> condition(
            KubernetesClient client, Class<T> type, String namespace, String name, String conditionType) {
        T resource = client.resources(type).inNamespace(namespace).withName(name).get();
        if (resource == null || resource.getStatus() == null || resource.getStatus().conditions() == null) {
            return Optional.empty();
        }
        return resource.getStatus().conditions().stream().filter(c -> conditionType.equals(c.getType())).findFirst();
    }

    /** {@code status/reason} of a condition, or {@code absent}: one string to await and to show in failures. */
    public static <T extends CustomResource<?, ? extends ConditionedStatus>> String of(
            KubernetesClient client, Class<T> type, String namespace, String name, String conditionType) {
        return condition(client, type, namespace, name, conditionType).map(c -> c.getStatus() + "/" + c.getReason()).orElse("absent");
    }
}
