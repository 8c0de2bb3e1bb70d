package io.conduit.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Set;

/**
 * The namespaces a reconciler serves, for the reads it makes outside its informers ("every namespace"
 * for a gateway admitting routes from all of them). With a watch list these reads stay inside it: the
 * operator holds a Role per listed namespace then, and a cluster-wide list would be denied.
 */
public record WatchedNamespaces(Set<String> namespaces) {
    public static final WatchedNamespaces ALL = new WatchedNamespaces(Set.of());

    public WatchedNamespaces {
        namespaces = Set.copyOf(namespaces);
    }

    public static WatchedNamespaces of(Context<?> context) {
        Set<String> effective = context.getControllerConfiguration().getEffectiveNamespaces();
        return InformerConfiguration.allNamespacesWatched(effective) ? ALL : new WatchedNamespaces(effective);
    }

    public boolean all() {
        return namespaces.isEmpty();
    }

    /** Every {@code type} in the watched namespaces. */
    public <T extends HasMetadata> List<T> list(KubernetesClient client, Class<T> type) {
        if (all()) {
            return client.resources(type).inAnyNamespace().list().getItems();
        }
        return namespaces.stream().sorted()
                .flatMap(ns -> client.resources(type).inNamespace(ns).list().getItems().stream())
                .toList();
    }
}
