package io.conduit.gateway.queue.kafka;

import io.conduit.api.v1alpha1.QueueBackendSpec;
import io.conduit.config.QueueBackendConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer configuration of a kafka backend: idempotent, {@code acks=all}, the backend's linger, batch size and
 * compression, its security protocol, and SASL/TLS material from the backend's credentials. Timeouts are cut to the
 * request timeout, so every record is acknowledged or given up by the producer before the request answers 503: a
 * record the client was told failed is never written behind its back later.
 */
public final class KafkaProducerSettings {
    /** Credential keys besides username/password: a PEM CA bundle to trust, and a PEM client certificate and key for mTLS. */
    public static final String CA_CERT = "ca.crt";
    public static final String CLIENT_CERT = "tls.crt";
    public static final String CLIENT_KEY = "tls.key";

    private KafkaProducerSettings() {
    }

    /** How long one {@code send()} may block for metadata: a quarter of the request timeout, 100 ms to 5 s. */
    public static long maxBlockMillis(long requestTimeoutMillis) {
        return Math.max(100, Math.min(5_000, requestTimeoutMillis / 4));
    }

    public static Properties of(QueueBackendConfig.Kafka settings, Map<String, String> credentials, long requestTimeoutMillis) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        int linger = settings.lingerMs() == null ? 5 : settings.lingerMs();
        p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(linger));
        if (settings.batchSize() != null) {
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, settings.batchSize().toString());
        }
        QueueBackendSpec.Compression compression = settings.compression() == null ? QueueBackendSpec.Compression.none
                : settings.compression();
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression.name());

        // The producer retries on its own (idempotently: the broker drops its duplicates) until delivery.timeout.ms,
        // which ends well inside the request's deadline.
        long requestTimeout = Math.max(100, Math.min(30_000, requestTimeoutMillis / 4));
        long deliveryTimeout = Math.max(requestTimeoutMillis / 2, linger + requestTimeout);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(requestTimeout));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(deliveryTimeout));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlockMillis(requestTimeoutMillis)));
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "50");
        p.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "1000");
        // A broker that comes back is used again within about a second.
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MS_CONFIG, "50");
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");

        QueueBackendSpec.SecurityProtocol protocol = settings.securityProtocol() == null
                ? QueueBackendSpec.SecurityProtocol.PLAINTEXT : settings.securityProtocol();
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol.name());
        if (protocol == QueueBackendSpec.SecurityProtocol.SASL_PLAINTEXT || protocol == QueueBackendSpec.SecurityProtocol.SASL_SSL) {
            sasl(p, settings, credentials);
        }
        if (protocol == QueueBackendSpec.SecurityProtocol.SSL || protocol == QueueBackendSpec.SecurityProtocol.SASL_SSL) {
            tls(p, credentials);
        }
        return p;
    }

    private static void sasl(Properties p, QueueBackendConfig.Kafka settings, Map<String, String> credentials) {
        String username = credentials.get("username");
        String password = credentials.get("password");
        if (username == null || password == null) {
            throw new IllegalArgumentException("SASL needs credentialsSecretRef with keys username and password");
        }
        QueueBackendSpec.SaslMechanism mechanism = settings.saslMechanism() == null ? QueueBackendSpec.SaslMechanism.PLAIN
                : settings.saslMechanism();
        String module = switch (mechanism) {
            case PLAIN -> "org.apache.kafka.common.security.plain.PlainLoginModule";
            case SCRAM_SHA_256, SCRAM_SHA_512 -> "org.apache.kafka.common.security.scram.ScramLoginModule";
        };
        p.put(SaslConfigs.SASL_MECHANISM, switch (mechanism) {
            case PLAIN -> "PLAIN";
            case SCRAM_SHA_256 -> "SCRAM-SHA-256";
            case SCRAM_SHA_512 -> "SCRAM-SHA-512";
        });
        p.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + jaasQuote(username) + "\" password=\""
                + jaasQuote(password) + "\";");
    }

    /** JAAS values are double-quoted; a quote or backslash in a password must not end or break the value. */
    static String jaasQuote(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static void tls(Properties p, Map<String, String> credentials) {
        String ca = credentials.get(CA_CERT);
        if (ca != null) {
            p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            p.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, ca);
        }
        String cert = credentials.get(CLIENT_CERT);
        String key = credentials.get(CLIENT_KEY);
        if (cert != null && key != null) {
            p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
            p.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, cert);
            p.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, key);
        }
    }
}
