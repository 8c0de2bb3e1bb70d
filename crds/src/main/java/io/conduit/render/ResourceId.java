package io.conduit.render;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Kind, namespace and name: how problems and statuses point at a resource. */
public record ResourceId(String kind, String namespace, String name) implements Comparable<ResourceId> {

    public static ResourceId of(HasMetadata resource) {
        return new ResourceId(resource.getKind(), namespaceOf(resource), resource.getMetadata().getName());
    }

    static String namespaceOf(HasMetadata resource) {
        String ns = resource.getMetadata().getNamespace();
        return ns == null || ns.isBlank() ? "default" : ns;
    }

    @Override
    public int compareTo(ResourceId o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return kind + " " + namespace + "/" + name;
    }
}
