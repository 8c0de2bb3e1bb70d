package io.conduit.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

/** The operator never guesses where a pod's admin API listens: whatever listens on a default port would get the config and token. */
class ConfigPusherTest {
    @Test
    void aPodThatDeclaresNoAdminPortIsNotPushedTo() {
        Pod pod = new PodBuilder().withNewMetadata().withName("edge-gateway-0").endMetadata()
                .withNewSpec().addNewContainer().withName("gateway").addNewPort().withName("http").withContainerPort(8080).endPort()
                .endContainer().endSpec()
                .withNewStatus().withPodIP("127.0.0.1").endStatus().build();

        ConfigPusher.Outcome outcome = new ConfigPusher().push(pod, "{}", "token").join();

        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.error()).isEqualTo("pod declares no container port named admin");
        assertThat(ConfigPusher.adminPort(pod)).isEmpty();
    }
}
