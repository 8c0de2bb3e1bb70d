package io.conduit.operator.gateway;

import static org.awaitility.Awaitility.await;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;

/**
 * Gateway pods as the Deployment controller would make them in the mock API server (which runs no
 * controllers): a ReplicaSet controlled by the operator's Deployment, and ready pods it controls, at
 * 127.0.0.1 with the admin port given.
 */
public final class GatewayPods {
    private GatewayPods() {
    }

    /** A ready pod of gateway {@code gateway} whose admin port is {@code adminPort} (on 127.0.0.1). */
    public static Pod ready(KubernetesClient client, String ns, String gateway, String pod, int adminPort) {
        EdgeGateway gw = client.resources(EdgeGateway.class).inNamespace(ns).withName(gateway).get();
        return client.pods().inNamespace(ns).resource(new PodBuilder()
                .withNewMetadata().withName(pod).withNamespace(ns).withLabels(GatewayNames.labels(gw))
                .withOwnerReferences(controlledBy(replicaSet(client, gw))).endMetadata()
                .withNewSpec().addNewContainer().withName("gateway").withImage("conduit/gateway:test")
                .addNewPort().withName("admin").withContainerPort(adminPort).endPort().endContainer().endSpec()
                .withNewStatus().withPodIP("127.0.0.1")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                .build()).create();
    }

    /** The gateway's ReplicaSet, created the first time, once the operator created the Deployment. */
    static ReplicaSet replicaSet(KubernetesClient client, EdgeGateway gw) {
        String ns = gw.getMetadata().getNamespace();
        String name = GatewayNames.workload(gw) + "-5d8f7c";
        ReplicaSet existing = client.apps().replicaSets().inNamespace(ns).withName(name).get();
        if (existing != null) {
            return existing;
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.apps().deployments().inNamespace(ns).withName(GatewayNames.workload(gw)).get() != null);
        Deployment deployment = client.apps().deployments().inNamespace(ns).withName(GatewayNames.workload(gw)).get();
        return client.apps().replicaSets().inNamespace(ns).resource(new ReplicaSetBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).withLabels(GatewayNames.labels(gw))
                .withOwnerReferences(controlledBy(deployment)).endMetadata()
                .withNewSpec().withNewSelector().withMatchLabels(GatewayNames.selector(gw)).endSelector().endSpec()
                .build()).create();
    }

    static io.fabric8.kubernetes.api.model.OwnerReference controlledBy(io.fabric8.kubernetes.api.model.HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true).build();
    }
}
