package io.conduit.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.operator.ConduitOperator;
import io.conduit.operator.OperatorMockServer;
import io.conduit.operator.Statuses;
import io.conduit.api.v1alpha1.RouteRule;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.conduit.testsupport.FreePort;
import io.conduit.testsupport.ManagedProcess;
import io.conduit.testsupport.Processes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end in one machine: the mock API server, the operator, and a real gateway process standing
 * for a pod (a Pod object whose IP and admin port point at it, marked ready). The rule-change story (served by
 * push without a restart, {@code Programmed} per generation, {@code ConfigPushed}) is {@code OperatorKubeIT}'s on
 * the real API server; what stays here is what that tier does not set up (see docs/design-notes.md).
 */
@EnableKubernetesMockClient(crud = true)
class ConfigPushMockTest {
    static final String NS = "shop";
    static KubernetesClient client;
    Operator operator;
    ManagedProcess gateway;

    @TempDir
    Path dir;

    String resources(String queue) {
        return """
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: work, namespace: shop}
                spec: {type: spool, spool: {path: "%s"}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: work, namespace: shop}
                spec:
                  when: {http: {method: POST, path: /work}}
                  send: {queue: {backendRef: {name: work}, queue: %s}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge, namespace: shop}
                spec: {replicas: 1}
                """.formatted(dir.resolve("queues"), queue);
    }

    @BeforeEach
    void start() {
        operator = OperatorMockServer.start(client, ConduitOperator.reconcilers().toArray(Reconciler[]::new));
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        operator.stop();
        // The mock API server lives as long as the class: pods of one test must not stand in the next one's way.
        client.pods().inNamespace(NS).delete();
        client.apps().replicaSets().inNamespace(NS).delete();
    }

    static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T get(Class<T> type, String name) {
        return client.resources(type).inNamespace(NS).withName(name).get();
    }

    /** The pod's mounts, as kubelet would write them, once the operator created the objects they come from. */
    Path mounts() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> get(ConfigMap.class, "edge-config") != null
                && get(Secret.class, "edge-admin") != null && get(Secret.class, "edge-credentials") != null);
        // In a folder of their own, as the pod's mount: the gateway reloads when anything in that folder changes.
        Path mounts = Files.createDirectories(dir.resolve("mounts"));
        Files.writeString(mounts.resolve("config.json"), get(ConfigMap.class, "edge-config").getData().get(GatewayNames.CONFIG_KEY));
        Files.write(mounts.resolve("credentials.json"), Base64.getDecoder().decode(
                get(Secret.class, "edge-credentials").getData().get(GatewayNames.CREDENTIALS_KEY)));
        return mounts;
    }

    /** A real gateway process standing for a pod, with the admin token from the operator's Secret. */
    ManagedProcess startGateway(Path mounts, int port, int adminPort, String log) {
        String token = new String(Base64.getDecoder().decode(get(Secret.class, "edge-admin").getData().get(AdminTokens.KEY)),
                StandardCharsets.UTF_8);
        ProcessBuilder pb = Processes.java("-jar", System.getProperty("conduit.gateway.jar"),
                "--gateway-config", mounts.resolve("config.json").toString(),
                "--credentials", mounts.resolve("credentials.json").toString(),
                "--port", String.valueOf(port), "--admin-port", String.valueOf(adminPort));
        pb.environment().put("CONDUIT_ADMIN_TOKEN", token);
        ManagedProcess process = Processes.start(pb, dir.resolve(log));
        process.awaitPort("127.0.0.1", port, Duration.ofSeconds(30));
        return process;
    }

    /**
     * Programmed means every ready pod acknowledged the rule's generation: with two ready pods of which
     * only one answers the push, the rule stays False ("1 of 2") until the other one does. A pod that
     * merely carries the gateway's labels (no ReplicaSet of the gateway controls it) gets no push at all.
     */
    @Test
    void programmedWaitsUntilEveryReadyPodAcknowledges() throws Exception {
        OperatorMockServer.apply(client, NS, resources("v1"));
        Path mounts = mounts();
        int adminA = FreePort.find();
        int adminB = FreePort.find();
        gateway = startGateway(mounts, FreePort.find(), adminA, "gateway-a.log");
        try (ServerSocket impostor = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            impostor.setSoTimeout(1);
            client.pods().inNamespace(NS).resource(new PodBuilder()
                    .withNewMetadata().withName("not-the-gateway").withNamespace(NS)
                    .withLabels(GatewayNames.labels(get(EdgeGateway.class, "edge"))).endMetadata()
                    .withNewSpec().addNewContainer().withName("gateway").withImage("anything")
                    .addNewPort().withName("admin").withContainerPort(impostor.getLocalPort()).endPort().endContainer().endSpec()
                    .withNewStatus().withPodIP("127.0.0.1")
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                    .build()).create();
            GatewayPods.ready(client, NS, "edge", "edge-gateway-a", adminA);
            // Nothing listens on B's admin port yet: its push fails and is retried.
            GatewayPods.ready(client, NS, "edge", "edge-gateway-b", adminB);

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var status = get(EdgeGateway.class, "edge").getStatus();
                return status != null && Integer.valueOf(2).equals(status.readyReplicas()) && Integer.valueOf(1).equals(status.updatedReplicas());
            });
            await("Programmed False, 1 of 2").atMost(Duration.ofSeconds(30)).until(() -> Statuses.condition(client, RouteRule.class, NS,
                    "work", "Programmed").filter(c -> c.getStatus().equals("False") && c.getReason().equals("Pending")
                    && c.getMessage().contains("1 of 2 ready pods")).isPresent());
            // And it stays so while B has not acknowledged (the operator retries B every few seconds meanwhile).
            await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(10)).until(() ->
                    Statuses.of(client, RouteRule.class, NS, "work", "Programmed").equals("False/Pending"));

            try (ManagedProcess b = startGateway(mounts, FreePort.find(), adminB, "gateway-b.log")) {
                await("Programmed once B acknowledged").atMost(Duration.ofSeconds(30)).until(() ->
                        Statuses.of(client, RouteRule.class, NS, "work", "Programmed").equals("True/Programmed"));
                assertThat(get(EdgeGateway.class, "edge").getStatus().updatedReplicas()).isEqualTo(2);
            }
            assertThatThrownBy(impostor::accept).as("the operator connected to a pod the gateway does not own")
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }
}
