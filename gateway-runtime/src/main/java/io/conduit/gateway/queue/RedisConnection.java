package io.conduit.gateway.queue;

import io.conduit.config.QueueBackendConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Lettuce connection of a Redis backend, shared by all requests (Lettuce pipelines them).
 * Once connected, Lettuce reconnects on its own; until the first connect succeeds, each use tries
 * again. While disconnected, commands fail at once instead of queueing, and commands in flight when
 * the connection drops are failed rather than replayed after reconnect: the gateway retries within
 * the request's deadline itself, and a replay after it answered 503 would write behind the client's back.
 */
public final class RedisConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, String>>> current = new AtomicReference<>();
    private volatile boolean closed;

    /**
     * @param credentials {@code password} and optionally {@code username}; empty to use the URL's own (if any)
     * @param commandTimeout how long one command may take before it fails (keep it well under the request timeout)
     */
    public RedisConnection(QueueBackendConfig.Redis settings, Map<String, String> credentials, Duration commandTimeout) {
        this.uri = uri(settings, credentials, commandTimeout);
        // Small pools: one connection per backend needs few threads. Reconnects back off quickly and cap at 1s,
        // so a Redis that returns is used again within about a second.
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(() -> Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).keepAlive(true).build())
                .build());
        // Connect now so the first request does not pay for it; a failure here is retried on first use.
        connection().exceptionally(e -> {
            LOG.warn("redis {} not reachable yet: {}", safeTarget(), e.getMessage());
            return null;
        });
    }

    static RedisURI uri(QueueBackendConfig.Redis settings, Map<String, String> credentials, Duration commandTimeout) {
        RedisURI uri = RedisURI.create(settings.url());
        if (settings.tls()) {
            uri.setSsl(true);
        }
        String password = credentials.get("password");
        if (password != null) {
            String username = credentials.get("username");
            if (username != null && !username.isEmpty()) {
                uri.setAuthentication(username, password.toCharArray());
            } else {
                uri.setAuthentication(password.toCharArray());
            }
        }
        uri.setTimeout(commandTimeout);
        return uri;
    }

    /** The async commands of the shared connection, connecting first if need be. */
    public CompletionStage<RedisAsyncCommands<String, String>> commands() {
        return connection().thenApply(StatefulRedisConnection::async);
    }

    private CompletableFuture<StatefulRedisConnection<String, String>> connection() {
        while (true) {
            CompletableFuture<StatefulRedisConnection<String, String>> existing = current.get();
            if (existing != null && !existing.isCompletedExceptionally()) {
                return existing;
            }
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("redis backend is closed"));
            }
            CompletableFuture<StatefulRedisConnection<String, String>> attempt = new CompletableFuture<>();
            if (current.compareAndSet(existing, attempt)) {
                client.connectAsync(StringCodec.UTF8, uri).whenComplete((connection, failure) -> {
                    if (failure != null) {
                        attempt.completeExceptionally(failure);
                    } else if (closed) {
                        connection.closeAsync();
                        attempt.completeExceptionally(new IllegalStateException("redis backend is closed"));
                    } else {
                        attempt.complete(connection);
                    }
                });
                return attempt;
            }
        }
    }

    /** Host and port only: the URL may carry a password. */
    String safeTarget() {
        return uri.getHost() + ":" + uri.getPort();
    }

    /** Closes without blocking (it may run on an event loop when a retired config drains). */
    @Override
    public void close() {
        closed = true;
        CompletableFuture<StatefulRedisConnection<String, String>> connection = current.get();
        CompletableFuture<Void> connectionClosed = connection == null ? CompletableFuture.completedFuture(null)
                : connection.handle((c, e) -> c).thenCompose(c -> c == null ? CompletableFuture.completedFuture(null) : c.closeAsync());
        connectionClosed
                .thenCompose(v -> client.shutdownAsync(0, 2, TimeUnit.SECONDS))
                .whenComplete((v, e) -> resources.shutdown(0, 2, TimeUnit.SECONDS));
    }
}
