package io.conduit.operator.backend;

import io.conduit.api.v1alpha1.QueueBackendSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/** describeCluster with the backend's security settings and SASL credentials. */
final class KafkaCheck {
    static final Duration TIMEOUT = Duration.ofSeconds(8);

    private KafkaCheck() {
    }

    /** @param credentials {@code username} and {@code password} for SASL; empty for none */
    static Probe check(String bootstrapServers, QueueBackendSpec.SecurityProtocol protocol,
                       QueueBackendSpec.SaslMechanism mechanism, Map<String, String> credentials) {
        List<String> secrets = List.copyOf(credentials.values());
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "conduit-operator-check");
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, (protocol == null ? QueueBackendSpec.SecurityProtocol.PLAINTEXT : protocol).name());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, 3000L);
        props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 5000L);
        if (!credentials.isEmpty()) {
            String saslMechanism = mechanism == null ? "PLAIN" : mechanism.name().replace('_', '-');
            String module = saslMechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            props.put(SaslConfigs.SASL_MECHANISM, saslMechanism);
            props.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + jaas(credentials.get("username"))
                    + "\" password=\"" + jaas(credentials.get("password")) + "\";");
        }
        try (Admin admin = Admin.create(props)) {
            try {
                var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()));
                String id = cluster.clusterId().get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
                int brokers = cluster.nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
                return Probe.ok("cluster " + id + " at " + bootstrapServers + " answered with " + brokers + " brokers");
            } finally {
                admin.close(Duration.ofSeconds(1));
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String reason = cause instanceof AuthenticationException ? "AuthenticationFailed"
                    : cause instanceof AuthorizationException ? "AccessDenied" : "Unreachable";
            return Probe.failed(reason, "describeCluster on " + bootstrapServers + ": " + Probe.redact(Probe.describe(cause), secrets));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Probe.failed("CheckFailed", "interrupted");
        } catch (Exception e) {
            return Probe.failed("Unreachable", "describeCluster on " + bootstrapServers + ": " + Probe.redact(Probe.describe(e), secrets));
        }
    }

    private static String jaas(String value) {
        return value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
