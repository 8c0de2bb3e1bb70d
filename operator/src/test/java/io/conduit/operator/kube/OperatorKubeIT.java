package io.conduit.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.config.ConfigJson;
import io.conduit.operator.ConduitOperator;
import io.conduit.operator.OperatorMockServer;
import io.conduit.operator.OperatorSettings;
import io.conduit.operator.Statuses;
import io.conduit.operator.gateway.GatewayNames;
import io.conduit.testsupport.KubeCluster;
import io.conduit.testsupport.RealKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator on a real API server, as its ServiceAccount (a TokenRequest token, authorized by the RBAC manifests/
 * installs), with kube-controller-manager's Deployment, ReplicaSet and garbage-collector controllers and real gateway
 * processes standing in for the Pods ({@link Kubelet}). One story, in order: serve, change a rule, scale, unresolve,
 * delete; and not one request of the operator refused. At each step the shipped Argo CD health checks
 * ({@link ArgoHealth}) read the live objects as Argo CD would: Progressing, Healthy, Degraded.
 */
@ExtendWith(RealKubernetes.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorKubeIT {
    static final String NS = "kube-shop";

    static KubeCluster cluster;
    static KubernetesClient admin;
    static OperatorClient operatorClient;
    static Operator operator;
    static Kubelet kubelet;
    @TempDir
    static Path dir;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start(KubeCluster kube) {
        cluster = kube;
        admin = kube.client();
        Installed.manifests(cluster);
        Installed.namespace(cluster, NS);
        operatorClient = OperatorClient.as(cluster, Installed.OPERATOR_NAMESPACE, Installed.OPERATOR_ACCOUNT);
        operator = OperatorMockServer.start(admin, operatorClient.client(), OperatorSettings.from(Map.of("CONDUIT_WATCH_NAMESPACES", NS)),
                ConduitOperator.reconcilers().toArray(Reconciler[]::new));
        kubelet = new Kubelet(admin, NS, dir);
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.stop();
        }
        if (kubelet != null) {
            kubelet.close();
        }
        if (operatorClient != null) {
            operatorClient.client().close();
        }
    }

    String resources(String queue) {
        return """
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: work}
                spec: {type: spool, spool: {path: "%s"}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: work}
                spec:
                  when: {http: {method: POST, path: /work}}
                  send: {queue: {backendRef: {name: work}, queue: %s}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge}
                spec: {replicas: 2}
                """.formatted(dir.resolve("queues"), queue);
    }

    static EdgeGateway gateway() {
        return admin.resources(EdgeGateway.class).inNamespace(NS).withName("edge").get();
    }

    static RouteRule rule() {
        return admin.resources(RouteRule.class).inNamespace(NS).withName("work").get();
    }

    static boolean condition(EdgeGateway gateway, String type) {
        return gateway.getStatus() != null && gateway.getStatus().conditions().stream()
                .anyMatch(c -> c.getType().equals(type) && c.getStatus().equals("True"));
    }

    String queueServing(Kubelet.RunningPod pod) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + pod.ip() + ":" + pod.port() + "/work"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 202 ? ConfigJson.MAPPER.readTree(r.body()).at("/queueRef/queue").asText() : "status " + r.statusCode();
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** Waits until the controllers made {@code replicas} pods, then runs them. */
    List<Kubelet.RunningPod> podsRunning(int replicas) {
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.pods().inNamespace(NS)
                .withLabels(GatewayNames.selector(gateway())).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).count() == replicas);
        return kubelet.runPods(gateway());
    }

    @Test
    @Order(1)
    void theRealDeploymentsPodsServeAndRulesTurnProgrammed() {
        cluster.kubectlWithInput(resources("v1"), "apply", "-n", NS, "-f", "-").orThrow();
        await().atMost(Duration.ofSeconds(60)).until(() -> gateway() != null
                && admin.apps().deployments().inNamespace(NS).withName(GatewayNames.workload(gateway())).get() != null);
        // kube-controller-manager, not the test, turned the Deployment into a ReplicaSet and its Pods.
        await().atMost(Duration.ofSeconds(60)).until(() -> !admin.apps().replicaSets().inNamespace(NS)
                .withLabels(GatewayNames.selector(gateway())).list().getItems().isEmpty());
        // No pod is ready yet: Argo CD reads the rollout as under way, not as failed.
        await().atMost(Duration.ofSeconds(60)).until(() -> gateway().getStatus() != null && rule().getStatus() != null
                && Statuses.condition(admin, RouteRule.class, NS, "work", "Programmed").isPresent());
        assertThat(ArgoHealth.of(gateway()).status()).as("EdgeGateway before any pod is ready").isEqualTo("Progressing");
        assertThat(ArgoHealth.of(rule()).status()).as("RouteRule before any pod is ready").isEqualTo("Progressing");

        List<Kubelet.RunningPod> pods = podsRunning(2);
        // Each pod on a loopback address of its own (a gateway of an earlier class may still be draining on 127.0.0.3).
        assertThat(pods).extracting(Kubelet.RunningPod::ip).doesNotHaveDuplicates().doesNotContain("127.0.0.1")
                .allMatch(ip -> ip.startsWith("127.0.0."));
        await().atMost(Duration.ofSeconds(60)).until(() -> condition(gateway(), "ConfigSynced")
                && Integer.valueOf(2).equals(gateway().getStatus().updatedReplicas()));
        assertThat(cluster.kubectl("wait", "--for=condition=Programmed", "--timeout=60s", "-n", NS, "routerule/work").orThrow())
                .contains("condition met");
        assertThat(ArgoHealth.of(rule()).status()).as("RouteRule once Programmed").isEqualTo("Healthy");
        await().atMost(Duration.ofSeconds(30)).until(() -> ArgoHealth.of(gateway()).status().equals("Healthy"));
        pods.forEach(pod -> assertThat(queueServing(pod)).isEqualTo("v1"));
        ReplicaSet rs = admin.apps().replicaSets().inNamespace(NS).withLabels(GatewayNames.selector(gateway())).list().getItems().getFirst();
        await().atMost(Duration.ofSeconds(30)).until(() -> Integer.valueOf(2).equals(admin.apps().replicaSets().inNamespace(NS)
                .withName(rs.getMetadata().getName()).get().getStatus().getReadyReplicas()));

        // Rule changes, applied with kubectl, reach both running gateways by push, without a restart; timed, five times
        // (the operator README's figure): from the start of `kubectl apply` to both gateways serving the new queue.
        List<Long> servedAfter = new ArrayList<>();
        List<Long> kubectlTook = new ArrayList<>();
        for (int version = 2; version <= CHANGES + 1; version++) {
            String queue = "v" + version;
            long start = System.nanoTime();
            cluster.kubectlWithInput(resources(queue), "apply", "-n", NS, "-f", "-").orThrow();
            kubectlTook.add((System.nanoTime() - start) / 1_000_000);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> pods.stream().allMatch(pod -> queueServing(pod).equals(queue)));
            servedAfter.add((System.nanoTime() - start) / 1_000_000);
        }
        System.out.printf("real API server: rule change kubectl apply -> served by both gateways in %s ms (median %d ms; kubectl apply"
                + " itself returned after %s ms); load average %.1f on %d cores%n", servedAfter, median(servedAfter), kubectlTook,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
        long generation = CHANGES + 1;
        await().atMost(Duration.ofSeconds(30)).until(() -> Statuses.condition(admin, RouteRule.class, NS, "work", "Programmed")
                .filter(c -> c.getStatus().equals("True") && c.getObservedGeneration() == generation).isPresent());
        await().atMost(Duration.ofSeconds(30)).until(() -> condition(gateway(), "ConfigSynced"));
        // Each pod runs the revision the status names, received by push (not read from its mounted file), and the
        // operator said so in an Event.
        String revision = gateway().getStatus().configRevision();
        pods.forEach(pod -> {
            JsonNode running = adminConfig(pod);
            assertThat(running.path("revision").asText()).as(pod.name()).isEqualTo(revision);
            assertThat(running.path("source").asText()).as(pod.name()).isEqualTo("push");
        });
        String pushed = admin.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> e.getReason().equals("ConfigPushed") && e.getInvolvedObject().getKind().equals("EdgeGateway")
                        && e.getMessage().contains("revision " + revision + " "))
                .map(Event::getMessage).collect(Collectors.joining("\n"));
        assertThat(pushed).as("ConfigPushed Events of revision " + revision).contains(pods.get(0).name()).contains(pods.get(1).name());
    }

    static final int CHANGES = 5;

    static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    JsonNode adminConfig(Kubelet.RunningPod pod) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + pod.ip() + ":" + pod.adminPort()
                    + "/admin/config")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return ConfigJson.MAPPER.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(pod.name() + ": " + e, e);
        }
    }

    @Test
    @Order(2)
    void kubectlScaleGoesThroughTheScaleSubresourceToTheDeployment() {
        assertThat(cluster.kubectl("scale", "-n", NS, "edgegateway/edge", "--replicas=3").orThrow()).contains("scaled");
        await().atMost(Duration.ofSeconds(60)).until(() -> Integer.valueOf(3).equals(
                admin.apps().deployments().inNamespace(NS).withName(GatewayNames.workload(gateway())).get().getSpec().getReplicas()));
        List<Kubelet.RunningPod> pods = podsRunning(3);
        assertThat(pods).hasSize(3);
        await().atMost(Duration.ofSeconds(60)).until(() -> Integer.valueOf(3).equals(gateway().getStatus().updatedReplicas()));
        // The scale subresource reads back what it wrote, with the selector an HPA uses.
        String scale = cluster.kubectl("get", "--raw", "/apis/conduit.io/v1alpha1/namespaces/" + NS + "/edgegateways/edge/scale").orThrow();
        assertThat(scale).contains("\"replicas\":3").contains(GatewayNames.selectorString(gateway()).split(",")[0]);

        // An autoscaling/v2 HPA may target an EdgeGateway (the API server checks the scale target's shape).
        assertThat(cluster.kubectlWithInput("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: edge}
                spec:
                  scaleTargetRef: {apiVersion: conduit.io/v1alpha1, kind: EdgeGateway, name: edge}
                  minReplicas: 2
                  maxReplicas: 5
                  metrics:
                  - type: Resource
                    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                """, "apply", "-n", NS, "-f", "-").orThrow()).contains("horizontalpodautoscaler.autoscaling/edge created");
        cluster.kubectl("delete", "-n", NS, "hpa/edge").orThrow();
    }

    @Test
    @Order(3)
    void deletingABackendLeavesItsRulesUnresolved() {
        cluster.kubectl("delete", "-n", NS, "queuebackend/work").orThrow();
        await().atMost(Duration.ofSeconds(60)).until(() -> Statuses.of(admin, RouteRule.class, NS, "work", "ResolvedRefs")
                .equals("False/BackendNotFound"));
        ArgoHealth refused = ArgoHealth.of(rule());
        assertThat(refused.status()).as("RouteRule whose backend is gone: " + refused).isEqualTo("Degraded");
    }

    @Test
    @Order(4)
    void deletingTheGatewayLetsTheGarbageCollectorRemoveWhatItOwned() {
        EdgeGateway gateway = gateway();
        cluster.kubectl("delete", "-n", NS, "edgegateway/edge", "--wait=false").orThrow();
        // No finalizer of ours and no client-side cascade: kube-controller-manager's garbage collector follows the
        // owner references the operator set.
        await().atMost(Duration.ofSeconds(90)).until(() ->
                admin.apps().deployments().inNamespace(NS).withName(GatewayNames.workload(gateway)).get() == null
                        && admin.configMaps().inNamespace(NS).withName(GatewayNames.config(gateway)).get() == null
                        && admin.secrets().inNamespace(NS).withName(GatewayNames.credentials(gateway)).get() == null
                        && admin.resources(Service.class).inNamespace(NS).withLabels(GatewayNames.selector(gateway)).list().getItems().isEmpty()
                        && admin.apps().replicaSets().inNamespace(NS).withLabels(GatewayNames.selector(gateway)).list().getItems().isEmpty()
                        && admin.pods().inNamespace(NS).withLabels(GatewayNames.selector(gateway)).list().getItems().isEmpty());
        kubelet.forgetDeleted();
        assertThat(admin.resources(ConfigMap.class).inNamespace(NS).list().getItems())
                .noneMatch(c -> c.getMetadata().getName().equals(GatewayNames.config(gateway)));
    }

    @Test
    @Order(5)
    void theOperatorWasNeverRefusedByItsRole() {
        assertThat(operatorClient.forbidden()).as("requests the chart's role refused").isEmpty();
        assertThat(operatorClient.requests()).as("the operator did talk to the API server as its ServiceAccount").isPositive();
        assertThat(admin.apps().deployments().inNamespace(NS).list().getItems()).extracting(Deployment::getMetadata)
                .isEmpty();
    }
}
