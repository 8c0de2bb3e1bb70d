package io.conduit.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.operator.ConduitOperator;
import io.conduit.operator.OperatorMockServer;
import io.conduit.operator.OperatorSettings;
import io.conduit.operator.gateway.GatewayNames;
import io.conduit.testsupport.FreePort;
import io.conduit.testsupport.KubeCluster;
import io.conduit.testsupport.RealKubernetes;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Which Secrets the operator touches, on a real API server, as its ServiceAccount with the ClusterRole manifests/
 * installs: a gateway's tokens Secret labelled {@code conduit.io/watched=true} is watched, so its rotation rolls the
 * gateway's pods at once (the periodic reconciliation is an hour away); a backend's unlabelled credentials Secret is
 * read by name; a Secret nobody names is never listed, watched or read, whatever happens to it; and the role
 * refuses none of it.
 */
@ExtendWith(RealKubernetes.class)
class SecretAccessKubeIT {
    static final String NS = "kube-secrets";

    @Test
    void aLabelledSecretsRotationRollsTheGatewayAndAnUnrelatedSecretIsNeverTouched(KubeCluster cluster) {
        Installed.manifests(cluster);
        Installed.namespace(cluster, NS);
        KubernetesClient admin = cluster.client();
        OperatorClient operatorClient = OperatorClient.as(cluster, Installed.OPERATOR_NAMESPACE, Installed.OPERATOR_ACCOUNT);
        Operator operator = OperatorMockServer.start(admin, operatorClient.client(),
                OperatorSettings.from(Map.of(OperatorSettings.WATCH_NAMESPACES_ENV, NS, OperatorSettings.SECRET_RESYNC_ENV, "PT1H")),
                ConduitOperator.reconcilers().toArray(Reconciler[]::new));
        try {
            // The S3 endpoint is a free port nobody listens on: the backend is not Ready, which does not matter here.
            cluster.kubectlWithInput("""
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: tokens, labels: {conduit.io/watched: "true"}}
                    stringData: {acme: first-token}
                    ---
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: s3-creds}
                    stringData: {accessKeyId: AKIA1, secretAccessKey: first-s3-secret}
                    ---
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: unrelated}
                    stringData: {password: first-password}
                    ---
                    apiVersion: conduit.io/v1alpha1
                    kind: BlobBackend
                    metadata: {name: files}
                    spec: {type: s3, s3: {bucket: b, endpoint: "http://127.0.0.1:%d", credentialsSecretRef: {name: s3-creds}}}
                    ---
                    apiVersion: conduit.io/v1alpha1
                    kind: RouteRule
                    metadata: {name: upload}
                    spec: {when: {http: {path: /u}}, send: {blob: {backendRef: {name: files}}}}
                    ---
                    apiVersion: conduit.io/v1alpha1
                    kind: EdgeGateway
                    metadata: {name: edge}
                    spec: {replicas: 1, auth: {tokensSecretRef: {name: tokens}}}
                    """.formatted(FreePort.find()), "apply", "-n", NS, "-f", "-").orThrow();
            // Both referenced Secrets reach the gateway: the labelled one from the watch, the other read by name.
            await().atMost(Duration.ofSeconds(60)).until(() -> deployment(admin) != null
                    && credentials(admin).contains("first-token") && credentials(admin).contains("first-s3-secret"));
            await().atMost(Duration.ofSeconds(60)).until(() -> replicaSets(admin) == 1);
            String before = credentialsHash(admin);

            // Changing a Secret nobody names is none of the operator's business: it never hears of it.
            cluster.kubectlWithInput("""
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: unrelated}
                    stringData: {password: second-password}
                    """, "apply", "-n", NS, "-f", "-").orThrow();
            // The labelled Secret's rotation rolls the pods at once: kube-controller-manager makes a new ReplicaSet.
            cluster.kubectlWithInput("""
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: tokens, labels: {conduit.io/watched: "true"}}
                    stringData: {acme: second-token}
                    """, "apply", "-n", NS, "-f", "-").orThrow();
            await().atMost(Duration.ofSeconds(30)).until(() -> credentials(admin).contains("second-token")
                    && !before.equals(credentialsHash(admin)));
            await().atMost(Duration.ofSeconds(60)).until(() -> replicaSets(admin) == 2);

            List<String> secretRequests = operatorClient.secretRequests().stream()
                    .map(r -> URLDecoder.decode(r, StandardCharsets.UTF_8)).toList();
            assertThat(secretRequests).as("the operator's Secret requests").noneMatch(r -> r.contains("unrelated"))
                    .anyMatch(r -> r.startsWith("GET ") && r.contains("/secrets/s3-creds"));
            assertThat(secretRequests).filteredOn(r -> r.startsWith("GET ") && r.matches(".*/secrets(\\?.*)?$"))
                    .as("the operator's Secret lists and watches")
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r).containsAnyOf("labelSelector=conduit.io/watched=true",
                            "labelSelector=app.kubernetes.io/managed-by=conduit-operator"));
            assertThat(operatorClient.forbidden()).as("requests the role refused").isEmpty();
        } finally {
            operator.stop();
            operatorClient.client().close();
        }
    }

    private static EdgeGateway gateway(KubernetesClient admin) {
        return admin.resources(EdgeGateway.class).inNamespace(NS).withName("edge").get();
    }

    private static Deployment deployment(KubernetesClient admin) {
        EdgeGateway gateway = gateway(admin);
        return gateway == null ? null : admin.apps().deployments().inNamespace(NS).withName(GatewayNames.workload(gateway)).get();
    }

    private static String credentialsHash(KubernetesClient admin) {
        return deployment(admin).getSpec().getTemplate().getMetadata().getAnnotations().get("conduit.io/credentials-hash");
    }

    private static long replicaSets(KubernetesClient admin) {
        return admin.apps().replicaSets().inNamespace(NS).withLabels(GatewayNames.selector(gateway(admin))).list().getItems().size();
    }

    /** What the gateway's credentials Secret holds, decoded. */
    private static String credentials(KubernetesClient admin) {
        Secret secret = admin.secrets().inNamespace(NS).withName(GatewayNames.credentials(gateway(admin))).get();
        if (secret == null || secret.getData() == null) {
            return "";
        }
        StringBuilder values = new StringBuilder();
        secret.getData().values().forEach(v -> values.append(new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return values.toString();
    }
}
