package io.conduit.operator.k3s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.operator.Statuses;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The flows of the *MockTest classes on a real Kubernetes: CRDs, namespace, RBAC and the operator
 * Deployment from {@code manifests/}, the images built from the Dockerfiles, gateway pods really
 * serving, and status read back with the client. Opt-in (Maven profile {@code k3s}): it needs Docker.
 */
class OperatorK3sIT {
    static final String NS = "shop";
    static K3sCluster cluster;

    static Optional<String> unavailable;

    @BeforeAll
    static void start() throws Exception {
        unavailable = K3sCluster.whyUnavailable();
        if (unavailable.isPresent()) {
            return;
        }
        cluster = K3sCluster.start();
        cluster.applyManifests();
        await().atMost(Duration.ofMinutes(3)).until(() -> {
            Deployment d = cluster.client.apps().deployments().inNamespace("conduit-system").withName("conduit-operator").get();
            return d != null && d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas());
        });
        cluster.client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName(NS).endMetadata().build()).createOr(r -> r.update());
    }

    /**
     * This tier runs only when asked for (the {@code k3s} Maven profile: README, "Tests"), so a missing
     * container engine is a failure with the reason, never a skip. Checked per test, not in
     * {@code @BeforeAll}, whose failures reports show as nothing at all.
     */
    @BeforeEach
    void needsDocker() {
        assertThat(unavailable).as("the k3s tier needs a container engine").isEmpty();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static String condition(Class<RouteRule> type, String name, String conditionType) {
        return Statuses.of(cluster.client, type, NS, name, conditionType);
    }

    @Test
    void rulesAreProgrammedOnRealGatewayPodsAndABadRuleIsRejectedAlone() {
        cluster.apply("""
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: work}
                spec: {type: spool, spool: {path: /tmp/queues}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: good}
                spec:
                  when: {http: {method: POST, path: /work}}
                  send: {queue: {backendRef: {name: work}, queue: jobs}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: later}
                spec:
                  when: {http: {method: POST, path: /later}}
                  send: {queue: {backendRef: {name: later}, queue: jobs}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge}
                spec: {replicas: 2}
                """, NS);

        await().atMost(Duration.ofMinutes(3)).until(() -> condition(RouteRule.class, "good", "Programmed").equals("True/Programmed"));
        assertThat(condition(RouteRule.class, "later", "ResolvedRefs")).isEqualTo("False/BackendNotFound");
        assertThat(Statuses.of(cluster.client, QueueBackend.class, NS, "work", "Ready")).isEqualTo("True/Connected");
        EdgeGateway gateway = cluster.client.resources(EdgeGateway.class).inNamespace(NS).withName("edge").get();
        assertThat(gateway.getStatus().updatedReplicas()).isEqualTo(2);

        // The missing backend appears: the rule resolves and reaches the running pods.
        cluster.apply("""
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: later}
                spec: {type: spool, spool: {path: /tmp/later}}
                """, NS);
        await().atMost(Duration.ofMinutes(1)).until(() -> condition(RouteRule.class, "later", "Programmed").equals("True/Programmed"));

        // Deleting a backend unresolves its rule; the other keeps being served.
        cluster.client.resources(QueueBackend.class).inNamespace(NS).withName("later").delete();
        await().atMost(Duration.ofMinutes(1)).until(() -> condition(RouteRule.class, "later", "ResolvedRefs").equals("False/BackendNotFound"));
        assertThat(condition(RouteRule.class, "good", "Programmed")).isEqualTo("True/Programmed");
    }
}
