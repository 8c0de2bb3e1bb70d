package io.conduit.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code CONDUIT_WATCH_NAMESPACES} (the chart's {@code watchNamespaces}): the operator serves the listed
 * namespaces only, and never lists or watches anything cluster-wide, since the chart grants it a Role
 * in each listed namespace and no ClusterRole.
 */
@EnableKubernetesMockClient(crud = true)
class WatchNamespacesMockTest {
    static KubernetesClient client;
    static KubernetesMockServer server;

    static String resources(String namespace) {
        return """
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: work, namespace: %1$s}
                spec: {type: spool, spool: {path: /data/q}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: orders, namespace: %1$s}
                spec: {when: {http: {path: /orders}}, send: {queue: {backendRef: {name: work}, queue: orders}}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge, namespace: %1$s}
                spec: {replicas: 1}
                """.formatted(namespace);
    }

    @Test
    void resourcesOutsideTheListAreLeftAloneAndNothingIsWatchedClusterWide() throws Exception {
        KubernetesClient operatorClient = OperatorMockServer.operatorClient(client);
        OperatorSettings settings = OperatorSettings.from(Map.of(OperatorSettings.WATCH_NAMESPACES_ENV, "shop, issues"));
        // The outside resources exist first, so the operator had every chance to see them.
        OperatorMockServer.loadCrds(client);
        OperatorMockServer.apply(client, "elsewhere", resources("elsewhere"));
        Operator operator = OperatorMockServer.start(client, operatorClient, settings,
                ConduitOperator.reconcilers().toArray(Reconciler[]::new));
        try {
            OperatorMockServer.apply(client, "shop", resources("shop"));
            await("the watched namespace is served").atMost(Duration.ofSeconds(30)).until(() ->
                    client.apps().deployments().inNamespace("shop").withName("edge-gateway").get() != null
                            && Statuses.of(client, QueueBackend.class, "shop", "work", "Ready").startsWith("True/")
                            && Statuses.of(client, RouteRule.class, "shop", "orders", "Accepted").startsWith("True/"));
            // A change outside after the operator runs is ignored too.
            client.resources(RouteRule.class).inNamespace("elsewhere").withName("orders")
                    .edit(r -> {
                        r.getMetadata().setLabels(Map.of("touched", "yes"));
                        return r;
                    });
            Thread.sleep(1500);
            assertThat(client.apps().deployments().inNamespace("elsewhere").list().getItems()).isEmpty();
            assertThat(client.configMaps().inNamespace("elsewhere").list().getItems()).isEmpty();
            assertThat(client.resources(EdgeGateway.class).inNamespace("elsewhere").withName("edge").get().getStatus()).isNull();
            assertThat(client.resources(QueueBackend.class).inNamespace("elsewhere").withName("work").get().getStatus()).isNull();
            assertThat(client.resources(RouteRule.class).inNamespace("elsewhere").withName("orders").get().getStatus()).isNull();
        } finally {
            operator.stop();
            operatorClient.close();
        }

        List<String> outside = new ArrayList<>();
        int reads = 0;
        RecordedRequest request;
        while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            if (!OperatorMockServer.OPERATOR_AGENT.equals(request.getHeader("User-Agent"))) {
                continue;
            }
            String path = request.getPath();
            if (path.startsWith("/api/v1/namespaces/shop/") || path.startsWith("/api/v1/namespaces/issues/")
                    || path.matches("^/apis/[^/]+/[^/]+/namespaces/(shop|issues)/.*")) {
                reads++;
            } else {
                outside.add(request.getMethod() + " " + path);
            }
        }
        assertThat(reads).as("the operator talked to the API server").isGreaterThan(10);
        assertThat(outside).as("requests outside the watched namespaces").isEmpty();
    }
}
