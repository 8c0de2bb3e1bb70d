package io.conduit.operator.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.QueueBackendSpec;
import io.conduit.operator.OperatorMockServer;
import io.conduit.operator.Statuses;
import io.conduit.testsupport.KafkaBroker;
import io.conduit.testsupport.Needs;
import io.conduit.testsupport.TestServers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Kafka check against the real broker of test-support: describeCluster, plain and with SASL PLAIN. */
@EnableKubernetesMockClient(crud = true)
class KafkaReadinessIT {
    static KubernetesClient client;
    static KafkaBroker kafka;

    @BeforeAll
    static void broker() {
        kafka = TestServers.kafka();
    }

    static String sasl() {
        Needs.require(kafka.saslBootstrapServers() != null, "the SASL listener of a broker this JVM runs",
                Needs.ownServer(KafkaBroker.ENV_VAR));
        return kafka.saslBootstrapServers();
    }

    @Test
    void describeClusterOnTheRealBrokerIsConnected() {
        Probe probe = KafkaCheck.check(kafka.bootstrapServers(), null, null, Map.of());
        assertThat(probe.ok()).as(probe.message()).isTrue();
        assertThat(probe.message()).contains("1 brokers");
    }

    @Test
    void saslPlainWithTheBrokersUserIsConnected() {
        Probe probe = KafkaCheck.check(sasl(), QueueBackendSpec.SecurityProtocol.SASL_PLAINTEXT,
                QueueBackendSpec.SaslMechanism.PLAIN, Map.of("username", KafkaBroker.PLAIN_USER, "password", KafkaBroker.PLAIN_PASSWORD));
        assertThat(probe.ok()).as(probe.message()).isTrue();
    }

    @Test
    void aWrongSaslPasswordIsAnAuthenticationFailureThatDoesNotRepeatIt() {
        Probe probe = KafkaCheck.check(sasl(), QueueBackendSpec.SecurityProtocol.SASL_PLAINTEXT,
                QueueBackendSpec.SaslMechanism.PLAIN, Map.of("username", KafkaBroker.PLAIN_USER, "password", "wrong-kafka-pass-42"));
        assertThat(probe.ok()).isFalse();
        assertThat(probe.reason()).as(probe.message()).isEqualTo("AuthenticationFailed");
        assertThat(probe.message()).doesNotContain("wrong-kafka-pass-42");
    }

    @Test
    void theOperatorReportsARealKafkaBackendReadyWithItsSaslSecret() {
        String bootstrap = sasl();
        Operator operator = OperatorMockServer.start(client, new QueueBackendReconciler());
        try {
            OperatorMockServer.apply(client, "events", """
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: kafka-creds, namespace: events}
                    stringData: {username: "%s", password: "%s"}
                    ---
                    apiVersion: conduit.io/v1alpha1
                    kind: QueueBackend
                    metadata: {name: kafka, namespace: events}
                    spec:
                      type: kafka
                      kafka:
                        bootstrapServers: "%s"
                        security: {protocol: SASL_PLAINTEXT, saslMechanism: PLAIN}
                        credentialsSecretRef: {name: kafka-creds}
                    """.formatted(KafkaBroker.PLAIN_USER, KafkaBroker.PLAIN_PASSWORD, bootstrap));
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    Statuses.of(client, QueueBackend.class, "events", "kafka", "Ready").equals("True/Connected"));
        } finally {
            operator.stop();
        }
    }
}
