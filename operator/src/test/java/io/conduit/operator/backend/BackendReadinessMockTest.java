package io.conduit.operator.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.operator.ConduitOperator;
import io.conduit.operator.OperatorMockServer;
import io.conduit.operator.Statuses;
import io.conduit.testsupport.FreePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Backend {@code Ready} from real connection attempts. Every endpoint here is a port nobody listens on
 * (a free port just found), so the checks fail the way an unreachable store does; the passing paths
 * run against real servers in {@code RedisReadinessIT}.
 */
@EnableKubernetesMockClient(crud = true)
class BackendReadinessMockTest {
    static final String NS = "stores";
    static KubernetesClient client;
    static Operator operator;

    @BeforeAll
    static void start() throws Exception {
        operator = OperatorMockServer.start(client, ConduitOperator.reconcilers().toArray(Reconciler[]::new));
        int closed = FreePort.find();
        OperatorMockServer.apply(client, NS, """
                apiVersion: v1
                kind: Secret
                metadata: {name: s3-creds, namespace: stores}
                stringData: {accessKeyId: AKIAEXAMPLE, secretAccessKey: very-secret-key-value}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: kafka-creds, namespace: stores}
                stringData: {username: svc, password: kafka-secret-password}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: spool, namespace: stores}
                spec: {type: spool, spool: {path: /data/queues}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: redis, namespace: stores}
                spec: {type: redis, redis: {url: "redis://127.0.0.1:%1$d"}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: kafka, namespace: stores}
                spec:
                  type: kafka
                  kafka:
                    bootstrapServers: "127.0.0.1:%1$d"
                    security: {protocol: SASL_PLAINTEXT, saslMechanism: SCRAM-SHA-512}
                    credentialsSecretRef: {name: kafka-creds}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: BlobBackend
                metadata: {name: s3, namespace: stores}
                spec:
                  type: s3
                  s3: {bucket: uploads, endpoint: "http://127.0.0.1:%1$d", forcePathStyle: true, credentialsSecretRef: {name: s3-creds}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: BlobBackend
                metadata: {name: nocreds, namespace: stores}
                spec:
                  type: s3
                  s3: {bucket: uploads, endpoint: "http://127.0.0.1:%1$d", credentialsSecretRef: {name: absent}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: jobs, namespace: stores}
                spec:
                  when: {http: {method: POST, path: /jobs}}
                  send: {queue: {backendRef: {name: redis}, queue: jobs}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge, namespace: stores}
                spec: {replicas: 1}
                """.formatted(closed));
    }

    @AfterAll
    static void stop() {
        operator.stop();
    }

    static String queue(String name) {
        return Statuses.of(client, QueueBackend.class, NS, name, "Ready");
    }

    static String blob(String name) {
        return Statuses.of(client, BlobBackend.class, NS, name, "Ready");
    }

    @Test
    void aSpoolNeedsNothingReachableAndIsReady() {
        await().atMost(Duration.ofSeconds(30)).until(() -> queue("spool").equals("True/Connected"));
    }

    @Test
    void anUnreachableRedisIsNotReadyAndTheRuleUsingItSaysSo() {
        await().atMost(Duration.ofSeconds(30)).until(() -> queue("redis").equals("False/Unreachable"));
        var ready = Statuses.condition(client, QueueBackend.class, NS, "redis", "Ready").orElseThrow();
        assertThat(ready.getMessage()).contains("127.0.0.1").contains("retrying");
        assertThat(ready.getObservedGeneration()).isEqualTo(1L);

        await().atMost(Duration.ofSeconds(30)).until(() ->
                Statuses.of(client, RouteRule.class, NS, "jobs", "ResolvedRefs").equals("False/BackendNotReady"));
        assertThat(Statuses.condition(client, RouteRule.class, NS, "jobs", "ResolvedRefs").orElseThrow().getMessage())
                .contains("QueueBackend redis is not Ready");
        // Not ready is not invalid: the rule stays in the config, the gateway answers 503 until Redis is back.
        assertThat(Statuses.of(client, RouteRule.class, NS, "jobs", "Accepted")).isEqualTo("True/Accepted");
    }

    @Test
    void anUnreachableS3EndpointIsNotReadyWithoutShowingTheSecret() {
        await().atMost(Duration.ofSeconds(30)).until(() -> blob("s3").equals("False/Unreachable"));
        String message = Statuses.condition(client, BlobBackend.class, NS, "s3", "Ready").orElseThrow().getMessage();
        assertThat(message).contains("HeadBucket on bucket uploads at http://127.0.0.1:").doesNotContain("very-secret-key-value");
    }

    @Test
    void anUnreachableKafkaIsNotReadyWithoutShowingTheSecret() {
        await().atMost(Duration.ofSeconds(60)).until(() -> queue("kafka").equals("False/Unreachable"));
        String message = Statuses.condition(client, QueueBackend.class, NS, "kafka", "Ready").orElseThrow().getMessage();
        assertThat(message).contains("describeCluster on 127.0.0.1:").doesNotContain("kafka-secret-password");
    }

    @Test
    void aMissingCredentialsSecretIsNamed() {
        await().atMost(Duration.ofSeconds(30)).until(() -> blob("nocreds").equals("False/SecretNotFound"));
        assertThat(Statuses.condition(client, BlobBackend.class, NS, "nocreds", "Ready").orElseThrow().getMessage())
                .contains("Secret stores/absent not found");
    }
}
