package io.conduit.gateway.queue.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conduit.api.v1alpha1.QueueBackendSpec;
import io.conduit.config.QueueBackendConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class KafkaProducerSettingsTest {
    static QueueBackendConfig.Kafka kafka(QueueBackendSpec.SecurityProtocol protocol, QueueBackendSpec.SaslMechanism mechanism) {
        return new QueueBackendConfig.Kafka("b1:9092,b2:9092", protocol, mechanism, "queue.events", 20, 65536,
                QueueBackendSpec.Compression.zstd, null);
    }

    @Test
    void theProducerIsIdempotentWithAcksAllAndTheBackendsBatchingSettings() {
        Properties p = KafkaProducerSettings.of(kafka(null, null), Map.of(), 30_000);

        assertThat(p).containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "b1:9092,b2:9092")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "20")
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, "65536")
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd")
                .containsEntry("security.protocol", "PLAINTEXT")
                .doesNotContainKey("sasl.jaas.config");
    }

    @Test
    void theProducerGivesUpOnARecordBeforeTheRequestDeadline() {
        Properties p = KafkaProducerSettings.of(kafka(null, null), Map.of(), 3_000);
        long delivery = Long.parseLong((String) p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
        long request = Long.parseLong((String) p.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG));
        long block = Long.parseLong((String) p.get(ProducerConfig.MAX_BLOCK_MS_CONFIG));

        assertThat(block + delivery).isLessThan(3_000);
        assertThat(delivery).as("Kafka refuses a delivery timeout below linger + request timeout").isGreaterThanOrEqualTo(20 + request);
    }

    @Test
    void scramTakesTheUsernameAndPasswordFromTheCredentialsQuotedForJaas() {
        Properties p = KafkaProducerSettings.of(kafka(QueueBackendSpec.SecurityProtocol.SASL_SSL,
                QueueBackendSpec.SaslMechanism.SCRAM_SHA_512), Map.of("username", "gw", "password", "p\"w\\d"), 30_000);

        assertThat(p).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"gw\" password=\"p\\\"w\\\\d\";");
    }

    @Test
    void plainIsTheDefaultMechanismAndSaslWithoutCredentialsIsRefused() {
        Properties p = KafkaProducerSettings.of(kafka(QueueBackendSpec.SecurityProtocol.SASL_PLAINTEXT, null),
                Map.of("username", "gw", "password", "secret"), 30_000);
        assertThat(p).containsEntry("sasl.mechanism", "PLAIN");
        assertThat((String) p.get("sasl.jaas.config")).startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required");

        assertThatThrownBy(() -> KafkaProducerSettings.of(kafka(QueueBackendSpec.SecurityProtocol.SASL_SSL, null), Map.of(), 30_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("username and password");
    }

    @Test
    void tlsTrustsThePemCaAndPresentsAClientCertificateWhenGiven() {
        Properties p = KafkaProducerSettings.of(kafka(QueueBackendSpec.SecurityProtocol.SSL, null),
                Map.of("ca.crt", "-----BEGIN CERTIFICATE-----ca", "tls.crt", "-----BEGIN CERTIFICATE-----me",
                        "tls.key", "-----BEGIN PRIVATE KEY-----k"), 30_000);

        assertThat(p).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.certificates", "-----BEGIN CERTIFICATE-----ca")
                .containsEntry("ssl.keystore.type", "PEM")
                .containsEntry("ssl.keystore.certificate.chain", "-----BEGIN CERTIFICATE-----me")
                .containsEntry("ssl.keystore.key", "-----BEGIN PRIVATE KEY-----k")
                .doesNotContainKey("sasl.jaas.config");
    }
}
