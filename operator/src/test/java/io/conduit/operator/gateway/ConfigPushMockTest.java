package io.conduit.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.config.ConfigJson;
import io.conduit.operator.ConduitOperator;
import io.conduit.operator.OperatorMockServer;
import io.conduit.operator.Statuses;
import io.conduit.api.v1alpha1.RouteRule;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.conduit.testsupport.FreePort;
import io.conduit.testsupport.ManagedProcess;
import io.conduit.testsupport.Processes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * for a pod (a Pod object whose IP and admin port point at it, marked ready). A rule change reaches
 * the running gateway through the operator's push, without restarting it.
 */
@EnableKubernetesMockClient(crud = true)
class ConfigPushMockTest {
    static final String NS = "shop";
    static KubernetesClient client;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
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
    }

    static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T get(Class<T> type, String name) {
        return client.resources(type).inNamespace(NS).withName(name).get();
    }

    String queueServing(int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/work"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 202 ? ConfigJson.MAPPER.readTree(r.body()).at("/queueRef/queue").asText() : "status " + r.statusCode();
    }

    @Test
    void aRuleChangeReachesTheRunningGatewayByPush() throws Exception {
        OperatorMockServer.apply(client, NS, resources("v1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> get(ConfigMap.class, "edge-config") != null
                && get(Secret.class, "edge-admin") != null && get(Secret.class, "edge-credentials") != null);

        // The pod's mounts, as kubelet would write them, and its admin token from the operator's Secret.
        // In a folder of their own, as the pod's mount: the gateway reloads when anything in that folder changes.
        Path mounts = Files.createDirectories(dir.resolve("mounts"));
        Path config = Files.writeString(mounts.resolve("config.json"),
                get(ConfigMap.class, "edge-config").getData().get(GatewayNames.CONFIG_KEY));
        Path credentials = Files.write(mounts.resolve("credentials.json"), Base64.getDecoder().decode(
                get(Secret.class, "edge-credentials").getData().get(GatewayNames.CREDENTIALS_KEY)));
        String token = new String(Base64.getDecoder().decode(get(Secret.class, "edge-admin").getData().get(AdminTokens.KEY)),
                StandardCharsets.UTF_8);
        int port = FreePort.find();
        int adminPort = FreePort.find();
        ProcessBuilder pb = Processes.java("-jar", System.getProperty("conduit.gateway.jar"),
                "--gateway-config", config.toString(), "--credentials", credentials.toString(),
                "--port", String.valueOf(port), "--admin-port", String.valueOf(adminPort));
        pb.environment().put("CONDUIT_ADMIN_TOKEN", token);
        gateway = Processes.start(pb, dir.resolve("gateway.log"));
        gateway.awaitPort("127.0.0.1", port, Duration.ofSeconds(30));
        assertThat(queueServing(port)).isEqualTo("v1");

        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName("edge-gateway-0").withNamespace(NS)
                .withLabels(GatewayNames.labels(get(EdgeGateway.class, "edge"))).endMetadata()
                .withNewSpec().addNewContainer().withName("gateway").withImage("conduit/gateway:test")
                .addNewPort().withName("admin").withContainerPort(adminPort).endPort().endContainer().endSpec()
                .withNewStatus().withPodIP("127.0.0.1")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                .build()).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var status = get(EdgeGateway.class, "edge").getStatus();
            return status != null && Integer.valueOf(1).equals(status.updatedReplicas());
        });

        // The rule is Programmed once the (only) ready pod acknowledged a revision holding its generation.
        await().atMost(Duration.ofSeconds(30)).until(() -> Statuses.of(client, RouteRule.class, NS, "work", "Programmed")
                .equals("True/Programmed"));
        assertThat(Statuses.condition(client, RouteRule.class, NS, "work", "Programmed").orElseThrow().getObservedGeneration())
                .isEqualTo(1L);
        assertThat(client.v1().events().inNamespace(NS).list().getItems())
                .anySatisfy(e -> {
                    assertThat(e.getReason()).isEqualTo("ConfigPushed");
                    assertThat(e.getInvolvedObject().getKind()).isEqualTo("EdgeGateway");
                    assertThat(e.getMessage()).contains("edge-gateway-0");
                });

        String before = get(ConfigMap.class, "edge-config").getMetadata().getAnnotations().get("conduit.io/revision");
        long[] rendered = {0};
        long applied = System.nanoTime();
        OperatorMockServer.apply(client, NS, resources("v2"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (rendered[0] == 0 && !before.equals(get(ConfigMap.class, "edge-config").getMetadata().getAnnotations().get("conduit.io/revision"))) {
                rendered[0] = System.nanoTime();
            }
            return queueServing(port).equals("v2");
        });
        long millis = (System.nanoTime() - applied) / 1_000_000;
        System.out.println("rule change applied -> served by the gateway in " + millis + " ms (ConfigMap updated after "
                + (rendered[0] == 0 ? "?" : String.valueOf((rendered[0] - applied) / 1_000_000)) + " ms; load average "
                + java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() + ")");

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var status = get(EdgeGateway.class, "edge").getStatus();
            return status.conditions().stream().anyMatch(c -> c.getType().equals("ConfigSynced") && c.getStatus().equals("True"))
                    && Integer.valueOf(1).equals(status.updatedReplicas());
        });
        // The new generation of the rule is live: Programmed again, for generation 2.
        await().atMost(Duration.ofSeconds(30)).until(() -> Statuses.condition(client, RouteRule.class, NS, "work", "Programmed")
                .filter(c -> c.getStatus().equals("True") && c.getObservedGeneration() == 2L).isPresent());
        HttpResponse<String> admin = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPort + "/admin/config")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ConfigJson.MAPPER.readTree(admin.body()).get("revision").asText())
                .isEqualTo(get(EdgeGateway.class, "edge").getStatus().configRevision());
        assertThat(ConfigJson.MAPPER.readTree(admin.body()).get("source").asText()).isEqualTo("push");
        assertThat(millis).as("rule change to serving").isLessThan(10_000);
    }
}
