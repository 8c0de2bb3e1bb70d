package io.conduit.operator.provision;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * A rotation is asked for by setting (or changing) the annotation {@value #ANNOTATION} on the backend (all its
 * users) or on an EdgeGateway (that gateway's users): any new value makes new passwords once.
 */
final class Rotation {
    static final String ANNOTATION = "conduit.io/rotate-credentials";

    private Rotation() {
    }

    static String of(HasMetadata resource) {
        var annotations = resource.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(ANNOTATION);
        return value == null ? "" : value;
    }
}
