package io.conduit.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conduit.operator.ConduitOperator;
import io.conduit.operator.OperatorMockServer;
import io.conduit.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator reads only the Secrets backends and gateways name: every operator reconciler runs, and the
 * requests it sends for Secrets are checked. A Secret nobody references and nobody labelled is never
 * listed, watched or read; rotations of referenced Secrets still reach the gateway, at once when labelled
 * {@code conduit.io/watched=true}, on the periodic reconciliation otherwise.
 */
@EnableKubernetesMockClient(crud = true)
class SecretWatchMockTest {
    static final String NS = "vault";
    static KubernetesClient client;
    static KubernetesMockServer server;
    Operator operator;
    KubernetesClient operatorClient;

    static final String RESOURCES = """
            apiVersion: v1
            kind: Secret
            metadata: {name: s3-creds, namespace: vault}
            stringData: {accessKeyId: AKIA1, secretAccessKey: first-s3-secret}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: tokens, namespace: vault, labels: {conduit.io/watched: "true"}}
            stringData: {acme: first-token}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: unrelated, namespace: vault}
            stringData: {password: not-the-operators-business}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: BlobBackend
            metadata: {name: files, namespace: vault}
            spec: {type: s3, s3: {bucket: b, endpoint: "http://127.0.0.1:%d", credentialsSecretRef: {name: s3-creds}}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: upload, namespace: vault}
            spec: {when: {http: {path: /u}}, send: {blob: {backendRef: {name: files}}}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: EdgeGateway
            metadata: {name: edge, namespace: vault}
            spec: {replicas: 1, auth: {tokensSecretRef: {name: tokens}}}
            """;

    void start(OperatorSettings settings) {
        drain();
        operatorClient = OperatorMockServer.operatorClient(client);
        operator = OperatorMockServer.start(client, operatorClient, settings, ConduitOperator.reconcilers().toArray(Reconciler[]::new));
        OperatorMockServer.apply(client, NS, RESOURCES.formatted(io.conduit.testsupport.FreePort.find()));
        await().atMost(Duration.ofSeconds(30)).until(() -> deployment() != null && credentials().contains("first-s3-secret"));
    }

    @BeforeEach
    void clean() {
        client.secrets().inNamespace(NS).delete();
    }

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.stop();
            operatorClient.close();
        }
    }

    @Test
    void aWatchedSecretsRotationReachesTheGatewayAtOnce() {
        // The periodic reconciliation is an hour away: only the watch can bring the change.
        start(new OperatorSettings("example/gateway:test", java.util.Set.of(), Duration.ofHours(1)));
        rotateAndAwait("""
                apiVersion: v1
                kind: Secret
                metadata: {name: tokens, namespace: vault, labels: {conduit.io/watched: "true"}}
                stringData: {acme: second-token}
                """, "second-token");
    }

    @Test
    void anUnwatchedSecretsRotationReachesTheGatewayOnThePeriodicReconciliation() {
        start(new OperatorSettings("example/gateway:test", java.util.Set.of(), Duration.ofSeconds(1)));
        rotateAndAwait("""
                apiVersion: v1
                kind: Secret
                metadata: {name: s3-creds, namespace: vault}
                stringData: {accessKeyId: AKIA1, secretAccessKey: second-s3-secret}
                """, "second-s3-secret");
    }

    /** Applies the rotated Secret; the gateway gets the new value and its pods roll (the hash changes). */
    private static void rotateAndAwait(String secretYaml, String newValue) {
        String before = podHash();
        OperatorMockServer.apply(client, NS, secretYaml);
        // The credentials Secret and the Deployment are written one after the other: wait for both.
        await().atMost(Duration.ofSeconds(30)).until(() -> credentials().contains(newValue) && !before.equals(podHash()));
        assertOnlyReferencedSecretsRead();
    }

    /**
     * Every Secret list and watch the operator sent selects by label (the watch label, or its own Secrets'),
     * and no request names the Secret nobody references: it was never listed, cached or read.
     */
    private static void assertOnlyReferencedSecretsRead() {
        List<String> secretRequests = new ArrayList<>();
        RecordedRequest request;
        while ((request = takeRequest()) != null) {
            if (OperatorMockServer.OPERATOR_AGENT.equals(request.getHeader("User-Agent")) && request.getPath().contains("/secrets")) {
                secretRequests.add(request.getMethod() + " " + URLDecoder.decode(request.getPath(), StandardCharsets.UTF_8));
            }
        }
        assertThat(secretRequests).as("the operator read Secrets").anyMatch(r -> r.startsWith("GET ") && r.contains("/secrets/s3-creds"));
        assertThat(secretRequests).noneMatch(r -> r.contains("unrelated"));
        assertThat(secretRequests).filteredOn(r -> r.startsWith("GET ") && r.matches(".*/secrets(\\?.*)?$"))
                .as("Secret lists and watches")
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r).containsAnyOf("labelSelector=conduit.io/watched=true",
                        "labelSelector=app.kubernetes.io/managed-by=conduit-operator"));
    }

    private static RecordedRequest takeRequest() {
        try {
            return server.takeRequest(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void drain() {
        while (takeRequest() != null) {
            // Requests of an earlier test.
        }
    }

    private static String podHash() {
        return deployment().getSpec().getTemplate().getMetadata().getAnnotations().get("conduit.io/credentials-hash");
    }

    private static Deployment deployment() {
        return client.apps().deployments().inNamespace(NS).withName("edge-gateway").get();
    }

    /** What the gateway's credentials Secret holds, decoded. */
    private static String credentials() {
        Secret secret = client.secrets().inNamespace(NS).withName("edge-credentials").get();
        if (secret == null || secret.getData() == null) {
            return "";
        }
        StringBuilder values = new StringBuilder();
        for (Map.Entry<String, String> e : secret.getData().entrySet()) {
            values.append(new String(Base64.getDecoder().decode(e.getValue()), StandardCharsets.UTF_8));
        }
        return values.toString();
    }
}
