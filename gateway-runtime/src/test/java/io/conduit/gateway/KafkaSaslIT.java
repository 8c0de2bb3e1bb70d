package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.testsupport.KafkaBroker;
import io.conduit.testsupport.Needs;
import io.conduit.testsupport.TestServers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka backends that log in: SASL PLAIN and SCRAM-SHA-512 against the broker's SASL listener, with the user from
 * a Secret, write records; a wrong password is a 503 within the request timeout, not a hang.
 */
class KafkaSaslIT {
    static final long REQUEST_TIMEOUT_MILLIS = 3000;

    @TempDir
    static Path root;
    static KafkaBroker kafka;
    static GatewayHarness gw;
    static String topic;

    static String backend(String name, String mechanism, String secret) {
        return """
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: %s}
                spec:
                  type: kafka
                  kafka:
                    bootstrapServers: "%s"
                    security: {protocol: SASL_PLAINTEXT, saslMechanism: %s}
                    credentialsSecretRef: {name: %s}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: %s}
                spec:
                  when: {http: {method: POST, path: /%s}}
                  send:
                    queue: {backendRef: {name: %s}, queue: "%s"}
                ---
                """.formatted(name, kafka.saslBootstrapServers(), mechanism, secret, name, name, name, topic);
    }

    @BeforeAll
    static void start() throws Exception {
        kafka = TestServers.kafka();
        Needs.require(kafka.saslBootstrapServers() != null, "the SASL listener of a broker this JVM runs",
                Needs.ownServer(KafkaBroker.ENV_VAR));
        topic = KafkaRecords.uniqueTopic("secured");
        kafka.createTopic(topic, 1);
        kafka.createScramUser("SCRAM-SHA-512", "gateway-scram", "scram-pa55");
        gw = GatewayHarness.start(root, """
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge}
                spec:
                  limits: {requestTimeout: 3s}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: plain-user}
                stringData: {username: %s, password: %s}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: scram-user}
                stringData: {username: gateway-scram, password: scram-pa55}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: wrong-user}
                stringData: {username: gateway-scram, password: not-the-password}
                ---
                """.formatted(KafkaBroker.PLAIN_USER, KafkaBroker.PLAIN_PASSWORD)
                + backend("plain", "PLAIN", "plain-user")
                + backend("scram", "SCRAM-SHA-512", "scram-user")
                + backend("wrong", "SCRAM-SHA-512", "wrong-user"));
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    static HttpResponse<String> post(String path, String json) throws Exception {
        return gw.send(HttpRequest.newBuilder(gw.uri(path)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    @Test
    void plainAndScramUsersFromSecretsWriteRecords() throws Exception {
        HttpResponse<String> plain = post("/plain", "{\"via\": \"plain\"}");
        HttpResponse<String> scram = post("/scram", "{\"via\": \"scram\"}");
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(202);
        assertThat(scram.statusCode()).as(scram.body()).isEqualTo(202);

        List<ConsumerRecord<String, String>> records = KafkaRecords.read(kafka, topic, 2);
        assertThat(records.stream().map(r -> r.value())).containsExactlyInAnyOrder("{\"via\": \"plain\"}", "{\"via\": \"scram\"}");
        JsonNode ref = GatewayHarness.json(scram).get("queueRef");
        assertThat(records.stream().filter(r -> r.offset() == ref.get("offset").asLong()).findFirst().orElseThrow().value())
                .isEqualTo("{\"via\": \"scram\"}");
    }

    @Test
    void aWrongPasswordIsA503WithinTheRequestTimeout() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = post("/wrong", "{\"via\": \"wrong\"}");
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(GatewayHarness.json(response).at("/error/code").asText()).isEqualTo("backend_unavailable");
        assertThat(millis).isLessThan(REQUEST_TIMEOUT_MILLIS + 1000);
    }
}
