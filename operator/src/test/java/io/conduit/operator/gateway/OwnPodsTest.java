package io.conduit.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Only pods the gateway's Deployment controls (through a ReplicaSet) get its config and admin token. */
class OwnPodsTest {
    static ReplicaSet replicaSet(String uid, String ownerKind, String ownerUid) {
        return new ReplicaSetBuilder().withNewMetadata().withName("rs-" + uid).withUid(uid)
                .withOwnerReferences(new OwnerReferenceBuilder().withKind(ownerKind).withName("edge-gateway").withUid(ownerUid)
                        .withController(true).build()).endMetadata().build();
    }

    static Pod pod(String name, String ownerKind, String ownerUid, boolean controller) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).endMetadata();
        if (ownerUid != null) {
            pod.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withKind(ownerKind).withName("x").withUid(ownerUid)
                    .withController(controller).build()).endMetadata();
        }
        return pod.build();
    }

    @Test
    void podsOfTheDeploymentsReplicaSetsOnly() {
        List<ReplicaSet> replicaSets = List.of(replicaSet("rs-own", "Deployment", "deploy-uid"),
                replicaSet("rs-foreign", "Deployment", "other-deploy"));
        List<Pod> pods = List.of(pod("own", "ReplicaSet", "rs-own", true), pod("bare", null, null, false),
                pod("foreign", "ReplicaSet", "rs-foreign", true), pod("not-controller", "ReplicaSet", "rs-own", false),
                pod("job", "Job", "rs-own", true));

        assertThat(OwnPods.of(pods, replicaSets, "deploy-uid")).extracting(HasMetadata::getMetadata)
                .extracting(m -> m.getName()).containsExactly("own");
        assertThat(OwnPods.of(pods, replicaSets, null)).isEmpty();
    }
}
