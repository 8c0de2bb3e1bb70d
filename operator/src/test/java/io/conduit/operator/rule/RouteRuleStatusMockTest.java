package io.conduit.operator.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.config.ConfigJson;
import io.conduit.config.RouteConfig;
import io.conduit.operator.ConduitOperator;
import io.conduit.operator.OperatorMockServer;
import io.conduit.operator.Statuses;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RouteRule conditions with every reconciler running on the mock API server: one bad rule is reported
 * and left out while the others keep being served; missing backends resolve when they appear.
 */
@EnableKubernetesMockClient(crud = true)
class RouteRuleStatusMockTest {
    static final AtomicInteger TESTS = new AtomicInteger();
    static KubernetesClient client;
    Operator operator;
    /** One namespace per test: the mock server lives as long as the class. */
    String ns;

    static final String BACKEND = """
            apiVersion: conduit.io/v1alpha1
            kind: QueueBackend
            metadata: {name: work, namespace: shop}
            spec: {type: spool, spool: {path: /data/queues}}
            """;
    static final String GOOD = """
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: good, namespace: shop}
            spec:
              when: {http: {method: POST, path: /work}}
              send: {queue: {backendRef: {name: work}, queue: jobs}}
            """;
    static final String BAD = """
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: bad, namespace: shop}
            spec:
              when: {http: {method: POST, path: /bad}}
              send: {queue: {backendRef: {name: work}, queue: jobs}, blob: {backendRef: {name: work}}}
            """;
    static final String LATER = """
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: later, namespace: shop}
            spec:
              when: {http: {method: POST, path: /later}}
              send: {queue: {backendRef: {name: later}, queue: jobs}}
            """;
    static final String GATEWAY = """
            apiVersion: conduit.io/v1alpha1
            kind: EdgeGateway
            metadata: {name: edge, namespace: shop}
            spec: {replicas: 1}
            """;

    @BeforeEach
    void start() {
        ns = "shop" + TESTS.incrementAndGet();
        operator = OperatorMockServer.start(client, ConduitOperator.reconcilers().toArray(io.javaoperatorsdk.operator.api.reconciler.Reconciler[]::new));
    }

    @AfterEach
    void stop() {
        operator.stop();
    }

    String condition(String rule, String type) {
        return Statuses.of(client, RouteRule.class, ns, rule, type);
    }

    Condition full(String rule, String type) {
        return Statuses.condition(client, RouteRule.class, ns, rule, type).orElseThrow();
    }

    List<String> servedRoutes() throws Exception {
        ConfigMap cm = client.configMaps().inNamespace(ns).withName("edge-config").get();
        if (cm == null) {
            return List.of();
        }
        return ConfigJson.readConfig(cm.getData().get("config.json")).routes().stream().map(RouteConfig::id).toList();
    }

    List<Event> events(String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    void apply(String yaml) {
        OperatorMockServer.apply(client, ns, yaml.replace("namespace: shop", "namespace: " + ns));
    }

    @Test
    void anInvalidRuleIsRejectedWithTheRenderersMessageWhileTheValidOneStaysServed() throws Exception {
        apply(String.join("---\n", BACKEND, GOOD, BAD, GATEWAY));

        await().atMost(Duration.ofSeconds(30)).until(() -> condition("bad", "Accepted").equals("False/Invalid")
                && condition("good", "Accepted").equals("True/Accepted") && servedRoutes().contains(ns + "/good"));
        assertThat(full("bad", "Accepted").getMessage()).contains("exactly one of send.blob and send.queue");
        assertThat(full("bad", "Accepted").getObservedGeneration()).isEqualTo(1L);
        assertThat(condition("bad", "Programmed")).startsWith("False/");
        assertThat(servedRoutes()).containsExactly(ns + "/good");
        assertThat(condition("good", "ResolvedRefs")).isEqualTo("True/ResolvedRefs");
        // No gateway pod is ready on the mock server: the good rule is served by the config but not live anywhere yet.
        await().atMost(Duration.ofSeconds(30)).until(() -> condition("good", "Programmed").equals("False/NoReadyReplicas"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !events("RuleRejected").isEmpty());
        Event rejected = events("RuleRejected").get(0);
        assertThat(rejected.getInvolvedObject().getName()).isEqualTo("bad");
        assertThat(rejected.getType()).isEqualTo("Warning");
        assertThat(rejected.getMessage()).contains("exactly one of send.blob and send.queue");

        // Fixing the bad rule: it is accepted and served, and its lastTransitionTime moves; the good
        // rule's does not, since its status did not flip.
        String goodSince = full("good", "Accepted").getLastTransitionTime();
        apply(BAD.replace(", blob: {backendRef: {name: work}}", ""));
        await().atMost(Duration.ofSeconds(30)).until(() -> condition("bad", "Accepted").equals("True/Accepted")
                && servedRoutes().contains(ns + "/bad"));
        assertThat(full("bad", "Accepted").getObservedGeneration()).isEqualTo(2L);
        assertThat(full("good", "Accepted").getLastTransitionTime()).isEqualTo(goodSince);
    }

    @Test
    void aMissingBackendLeavesTheRuleUnresolvedUntilTheBackendAppears() throws Exception {
        apply(String.join("---\n", BACKEND, GOOD, LATER, GATEWAY));

        await().atMost(Duration.ofSeconds(30)).until(() -> condition("later", "ResolvedRefs").equals("False/BackendNotFound")
                && servedRoutes().contains(ns + "/good"));
        assertThat(full("later", "ResolvedRefs").getMessage()).contains("later");
        assertThat(condition("later", "Accepted")).isEqualTo("True/Accepted");
        assertThat(servedRoutes()).containsExactly(ns + "/good");

        apply(BACKEND.replace("name: work", "name: later"));
        await().atMost(Duration.ofSeconds(30)).until(() -> condition("later", "ResolvedRefs").equals("True/ResolvedRefs")
                && servedRoutes().contains(ns + "/later"));
    }

    @Test
    void deletingABackendUnresolvesTheRulesUsingItAndTheGatewayKeepsServingTheOthers() throws Exception {
        apply(String.join("---\n", BACKEND, BACKEND.replace("name: work", "name: later"),
                GOOD, LATER, GATEWAY));
        await().atMost(Duration.ofSeconds(30)).until(() -> servedRoutes().containsAll(List.of(ns + "/good", ns + "/later"))
                && condition("good", "ResolvedRefs").equals("True/ResolvedRefs"));

        client.resources(QueueBackend.class).inNamespace(ns).withName("work").delete();

        await().atMost(Duration.ofSeconds(30)).until(() -> condition("good", "ResolvedRefs").equals("False/BackendNotFound")
                && servedRoutes().equals(List.of(ns + "/later")));
        assertThat(condition("later", "ResolvedRefs")).isEqualTo("True/ResolvedRefs");
        assertThat(condition("good", "Programmed")).startsWith("False/");
    }

    @Test
    void aRuleNamingNoExistingGatewayIsStillCheckedAndReportsTheMissingGateway() throws Exception {
        apply(String.join("---\n", BACKEND,
                GOOD.replace("spec:\n", "spec:\n  gatewayRefs: [{name: nowhere}]\n"), GATEWAY));

        await().atMost(Duration.ofSeconds(30)).until(() -> condition("good", "ResolvedRefs").equals("False/GatewayNotFound"));
        assertThat(full("good", "ResolvedRefs").getMessage()).contains(ns + "/nowhere");
        assertThat(condition("good", "Accepted")).isEqualTo("True/Accepted");
        assertThat(condition("good", "Programmed")).isEqualTo("False/GatewayNotFound");
    }
}
