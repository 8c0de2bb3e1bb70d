package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
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

    /** The gateway's own pods, from the reconciler's Pod, ReplicaSet and Deployment caches. */
    static List<Pod> of(EdgeGateway gateway, Context<EdgeGateway> context) {
        return of(context.getSecondaryResourcesAsStream(Pod.class)
                        .filter(p -> gateway.getMetadata().getName().equals(p.getMetadata().getLabels().get(GatewayNames.INSTANCE_LABEL)))
                        .toList(),
                context.getSecondaryResourcesAsStream(ReplicaSet.class).toList(),
                context.getSecondaryResource(Deployment.class).map(d -> d.getMetadata().getUid()).orElse(null));
    }

    /** Those that serve: ready, with an IP, and not on their way out. */
    static List<Pod> ready(List<Pod> pods) {
        return pods.stream().filter(OwnPods::isReady).toList();
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getPodIP() != null && pod.getMetadata().getDeletionTimestamp() == null
                && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
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
