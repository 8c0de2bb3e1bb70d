package io.conduit.operator.gateway;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pods that are really a gateway's own: controlled by a ReplicaSet that the gateway's Deployment
 * controls. Labels alone are not enough: anyone who may create a pod could copy them, and the operator
 * sends these pods the gateway's config and admin token.
 */
final class OwnPods {
    private OwnPods() {
    }

    static List<Pod> of(Collection<Pod> labelled, Collection<ReplicaSet> replicaSets, String deploymentUid) {
        if (deploymentUid == null) {
            return List.of();
        }
        Set<String> own = replicaSets.stream()
                .filter(rs -> controller(rs).filter(o -> "Deployment".equals(o.getKind()) && deploymentUid.equals(o.getUid())).isPresent())
                .map(rs -> rs.getMetadata().getUid())
                .collect(Collectors.toSet());
        return labelled.stream()
                .filter(p -> controller(p).filter(o -> "ReplicaSet".equals(o.getKind()) && own.contains(o.getUid())).isPresent())
                .toList();
    }

    private static Optional<OwnerReference> controller(HasMetadata resource) {
        List<OwnerReference> owners = resource.getMetadata().getOwnerReferences();
        return owners == null ? Optional.empty() : owners.stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst();
    }
}
