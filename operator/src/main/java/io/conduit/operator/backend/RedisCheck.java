package io.conduit.operator.backend;

import io.conduit.operator.redis.RedisLogins;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Connects as the gateway would (URL, TLS, AUTH with the backend's Secret) and sends PING. */
final class RedisCheck {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** One set of event loops for every check, instead of one per check. */
    private static final ClientResources RESOURCES = DefaultClientResources.builder().ioThreadPoolSize(1)
            .computationThreadPoolSize(1).build();

    private RedisCheck() {
    }

    /** @param credentials {@code password} and optionally {@code username}; empty for none */
    static Probe check(String url, boolean tls, Map<String, String> credentials) {
        List<String> secrets = List.copyOf(credentials.values());
        RedisURI uri;
        try {
            uri = RedisLogins.uri(url, tls, credentials, TIMEOUT);
        } catch (RuntimeException e) {
            return Probe.failed("Invalid", "redis.url: " + Probe.redact(e.getMessage(), secrets));
        }
        String where = uri.getHost() + ":" + uri.getPort();
        RedisClient client = RedisClient.create(RESOURCES, uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            String pong = connection.sync().ping();
            return Probe.ok("PING to " + where + " answered " + pong);
        } catch (RuntimeException e) {
            String message = Probe.describe(e);
            String reason = message.contains("NOAUTH") || message.contains("WRONGPASS") || message.contains("invalid password")
                    || message.contains("invalid username-password") ? "AuthenticationFailed" : "Unreachable";
            return Probe.failed(reason, "Redis " + where + ": " + Probe.redact(message, secrets));
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
