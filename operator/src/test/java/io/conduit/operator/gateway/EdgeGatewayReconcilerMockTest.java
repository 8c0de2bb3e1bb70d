package io.conduit.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.config.ConfigJson;
import io.conduit.operator.OperatorMockServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The EdgeGateway reconciler against Fabric8's mock API server in CRUD mode, with the generated CRDs loaded. */
@EnableKubernetesMockClient(crud = true)
class EdgeGatewayReconcilerMockTest {
    static final String NS = "shop";
    static KubernetesClient client;
    Operator operator;

    static final String RESOURCES = """
            apiVersion: v1
            kind: Secret
            metadata: {name: s3-creds, namespace: shop, labels: {conduit.io/watched: "true"}}
            stringData: {accessKeyId: AKIA1, secretAccessKey: s3cr3t-value}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: BlobBackend
            metadata: {name: files, namespace: shop}
            spec:
              type: s3
              s3: {bucket: uploads, credentialsSecretRef: {name: s3-creds}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: QueueBackend
            metadata: {name: work, namespace: shop}
            spec: {type: spool, spool: {path: /data/queues}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: upload, namespace: shop}
            spec:
              when: {http: {method: POST, path: /upload}}
              send: {blob: {backendRef: {name: files}}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: EdgeGateway
            metadata: {name: edge, namespace: shop}
            spec: {replicas: 2, image: example/gateway:test}
            """;

    @BeforeEach
    void start() {
        operator = OperatorMockServer.start(client, new EdgeGatewayReconciler());
        apply(RESOURCES);
    }

    @AfterEach
    void stop() {
        operator.stop();
    }

    static void apply(String yaml) {
        OperatorMockServer.apply(client, NS, yaml);
    }

    static <T extends HasMetadata> T get(Class<T> type, String name) {
        return client.resources(type).inNamespace(NS).withName(name).get();
    }

    static ConfigMap configMap() {
        return get(ConfigMap.class, "edge-config");
    }

    static String revision() {
        ConfigMap cm = configMap();
        return cm == null ? null : cm.getMetadata().getAnnotations().get("conduit.io/revision");
    }

    @Test
    void ownsItsObjectsWithTheRenderedConfigAndNoSecretsInTheConfigMap() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> configMap() != null && get(Deployment.class, "edge-gateway") != null
                && get(Service.class, "edge-gateway") != null && get(Secret.class, "edge-credentials") != null);

        String configJson = configMap().getData().get(GatewayNames.CONFIG_KEY);
        var config = ConfigJson.readConfig(configJson);
        assertThat(config.routes()).extracting(r -> r.id()).containsExactly("shop/upload");
        assertThat(config.blobBackends()).extracting(b -> b.s3().bucket()).containsExactly("uploads");
        assertThat(configJson).doesNotContain("s3cr3t-value");

        String credentials = new String(Base64.getDecoder().decode(
                get(Secret.class, "edge-credentials").getData().get(GatewayNames.CREDENTIALS_KEY)), StandardCharsets.UTF_8);
        assertThat(credentials).contains("s3cr3t-value");

        Deployment deployment = get(Deployment.class, "edge-gateway");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getContainers().get(0).getImage()).isEqualTo("example/gateway:test");
        assertThat(pod.getContainers().get(0).getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(get(ServiceAccount.class, "edge-gateway").getAutomountServiceAccountToken()).isFalse();
        assertThat(get(Service.class, "edge-gateway").getSpec().getPorts()).extracting(p -> p.getTargetPort().getIntVal())
                .containsExactly(GatewayDeploymentDependent.TRAFFIC_PORT);
        assertThat(configMap().getMetadata().getOwnerReferences()).extracting(o -> o.getKind()).containsExactly("EdgeGateway");

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            EdgeGateway gw = get(EdgeGateway.class, "edge");
            return gw.getStatus() != null && revision().equals(gw.getStatus().configRevision());
        });
        var status = get(EdgeGateway.class, "edge").getStatus();
        assertThat(status.attachedRoutes()).isEqualTo(1);
        assertThat(status.selector()).contains("app.kubernetes.io/instance=edge");
        assertThat(status.observedGeneration()).isEqualTo(get(EdgeGateway.class, "edge").getMetadata().getGeneration());
        assertThat(status.conditions()).extracting(c -> c.getType()).contains("Ready", "Available", "ConfigSynced");
    }

    @Test
    void gatewayPodsMeetTheRestrictedPodSecurityStandardAndGetWritableDirectories() {
        apply("""
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: jobs, namespace: shop}
                spec:
                  when: {http: {method: POST, path: /jobs}}
                  send: {queue: {backendRef: {name: work}, queue: jobs}}
                """);
        await().atMost(Duration.ofSeconds(20)).until(() -> get(Deployment.class, "edge-gateway") != null
                && get(Deployment.class, "edge-gateway").getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getName().equals("data-0")));

        var pod = get(Deployment.class, "edge-gateway").getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        var container = pod.getContainers().get(0);
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        // With a read-only root, every place the gateway writes is an emptyDir: scratch, the working
        // directory (relative paths, the default request record) and the spool backend's directory.
        assertThat(container.getWorkingDir()).isEqualTo("/var/lib/conduit");
        assertThat(container.getVolumeMounts()).filteredOn(m -> !Boolean.TRUE.equals(m.getReadOnly()))
                .extracting(m -> m.getMountPath()).containsExactlyInAnyOrder("/tmp", "/var/lib/conduit", "/data/queues");
        var writableVolumes = container.getVolumeMounts().stream().filter(m -> !Boolean.TRUE.equals(m.getReadOnly()))
                .map(m -> m.getName()).toList();
        assertThat(pod.getVolumes()).filteredOn(v -> writableVolumes.contains(v.getName()))
                .hasSize(3).allSatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
        // No resources in the EdgeGateway: bounded defaults, so the JVM sizes its heap to a real limit.
        assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("512Mi");
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    }

    @Test
    void resourcesOfTheEdgeGatewayReachThePods() {
        apply(RESOURCES.split("(?m)^---$")[4].replace("spec: {replicas: 2, image: example/gateway:test}",
                "spec: {replicas: 2, image: example/gateway:test, resources: {limits: {memory: 1Gi}, requests: {cpu: 500m}}}"));
        await().atMost(Duration.ofSeconds(20)).until(() -> get(Deployment.class, "edge-gateway") != null
                && get(Deployment.class, "edge-gateway").getSpec().getTemplate().getSpec().getContainers().get(0)
                .getResources().getLimits().get("memory").toString().equals("1Gi"));
        var resources = get(Deployment.class, "edge-gateway").getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
        assertThat(resources.getRequests().get("cpu").toString()).isEqualTo("500m");
        assertThat(resources.getRequests()).doesNotContainKey("memory");
    }

    @Test
    void aChangedRuleChangesTheConfigRevision() {
        await().atMost(Duration.ofSeconds(20)).until(() -> revision() != null);
        String before = revision();

        apply(RESOURCES.split("(?m)^---$")[3].replace("path: /upload", "path: /files/**"));

        await().atMost(Duration.ofSeconds(20)).until(() -> !before.equals(revision()));
        assertThat(configMap().getData().get(GatewayNames.CONFIG_KEY)).contains("/files/**");
    }

    @Test
    void replicasFlowToTheDeploymentAndTheDisruptionBudgetFollows() {
        await().atMost(Duration.ofSeconds(20)).until(() -> get(Deployment.class, "edge-gateway") != null
                && get(PodDisruptionBudget.class, "edge-gateway") != null);
        apply(RESOURCES.split("(?m)^---$")[4].replace("replicas: 2", "replicas: 5"));

        await().atMost(Duration.ofSeconds(20)).until(() -> get(Deployment.class, "edge-gateway").getSpec().getReplicas() == 5);

        apply(RESOURCES.split("(?m)^---$")[4].replace("replicas: 2", "replicas: 1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> get(Deployment.class, "edge-gateway").getSpec().getReplicas() == 1
                && get(PodDisruptionBudget.class, "edge-gateway") == null);
    }

    @Test
    void onlyTheOperatorMayReachTheAdminPort() {
        await().atMost(Duration.ofSeconds(20)).until(() -> get(NetworkPolicy.class, "edge-gateway") != null);
        var ingress = get(NetworkPolicy.class, "edge-gateway").getSpec().getIngress();
        assertThat(ingress).anySatisfy(rule -> {
            assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(GatewayDeploymentDependent.ADMIN_PORT);
            assertThat(rule.getFrom()).singleElement().satisfies(from ->
                    assertThat(from.getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "conduit-operator"));
            // Pinned to the operator's namespace: pods with the operator's label in other namespaces are not admitted.
            assertThat(rule.getFrom()).singleElement().satisfies(from -> assertThat(from.getNamespaceSelector().getMatchLabels())
                    .containsExactly(java.util.Map.entry("kubernetes.io/metadata.name", io.conduit.operator.OperatorNamespace.DEFAULT)));
        });
        assertThat(ingress).filteredOn(rule -> rule.getFrom() == null || rule.getFrom().isEmpty())
                .allSatisfy(rule -> assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal())
                        .containsExactly(GatewayDeploymentDependent.TRAFFIC_PORT));
    }

    @Test
    void rotatedCredentialsRollThePods() {
        await().atMost(Duration.ofSeconds(20)).until(() -> get(Deployment.class, "edge-gateway") != null);
        String before = podHash();

        apply(RESOURCES.split("(?m)^---$")[0].replace("s3cr3t-value", "rotated-value"));

        await().atMost(Duration.ofSeconds(20)).until(() -> !before.equals(podHash()));
    }

    /**
     * The admin token is generated once, owned by the gateway (so it goes with it), and kept when the gateway
     * reconciles again; a token replaced by hand is kept as well, and rolls the pods like any credential.
     */
    @Test
    void theAdminTokenIsOwnedByTheGatewayAndNeverRegenerated() {
        await().atMost(Duration.ofSeconds(20)).until(() -> get(Secret.class, "edge-admin") != null
                && get(Deployment.class, "edge-gateway") != null && revision() != null);
        Secret admin = get(Secret.class, "edge-admin");
        assertThat(admin.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("EdgeGateway");
            assertThat(owner.getUid()).isEqualTo(get(EdgeGateway.class, "edge").getMetadata().getUid());
        });
        String token = admin.getData().get(AdminTokens.KEY);
        String before = revision();

        apply(RESOURCES.split("(?m)^---$")[3].replace("path: /upload", "path: /files/**"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !before.equals(revision()));
        assertThat(get(Secret.class, "edge-admin").getData().get(AdminTokens.KEY)).isEqualTo(token);

        String hash = podHash();
        String replaced = Base64.getEncoder().encodeToString("replaced-by-hand".getBytes(StandardCharsets.UTF_8));
        client.secrets().inNamespace(NS).withName("edge-admin").edit(s -> {
            s.getData().put(AdminTokens.KEY, replaced);
            return s;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> !hash.equals(podHash()));
        assertThat(get(Secret.class, "edge-admin").getData().get(AdminTokens.KEY)).isEqualTo(replaced);
    }

    static String podHash() {
        return get(Deployment.class, "edge-gateway").getSpec().getTemplate().getMetadata().getAnnotations()
                .get("conduit.io/credentials-hash");
    }

}
