package io.conduit.gateway.redis;

import io.conduit.config.QueueBackendConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lettuce connections of a Redis backend: one per Vert.x event loop that uses it, registered on
 * that very event loop, shared by all requests running there (Lettuce pipelines them). A request's
 * command is written and its reply read on the thread that serves the request, so a send costs no
 * thread hand-off and no selector wake-up; with Lettuce's own I/O threads each command crossed two
 * threads (in the queue benchmark that was most of the gateway's CPU per message). Calls from outside
 * an event loop use some loop's connection. Lettuce picks its channel type by itself (NIO, since the
 * image carries no native epoll or io_uring library); if one is ever added, Vert.x must be told to use
 * the same native transport, or Lettuce's channels will not register on Vert.x's loops.
 * <p>
 * Once connected, Lettuce reconnects on its own (on the same loop); until the first connect succeeds,
 * each use tries again. While disconnected, commands fail at once instead of queueing, and commands in
 * flight when the connection drops are failed rather than replayed after reconnect: the gateway retries
 * within the request's deadline itself, and a replay after it answered 503 would write behind the
 * client's back.
 */
public final class RedisConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);

    private final VertxInternal vertx;
    /** Timer and event executors shared by the lanes (each lane has its own event loop); closed last, by us. */
    private final HashedWheelTimer timer = new HashedWheelTimer(new DefaultThreadFactory("lettuce-timer", true));
    private final EventExecutorGroup executors = new DefaultEventExecutorGroup(1, new DefaultThreadFactory("lettuce-events", true));
    private final ClientOptions options;
    private final RedisURI uri;
    private final Map<EventLoop, Lane> lanes = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param credentials {@code password} and optionally {@code username}; empty to use the URL's own (if any)
     * @param commandTimeout how long one command may take before it fails (keep it well under the request timeout)
     */
    public RedisConnection(Vertx vertx, QueueBackendConfig.Redis settings, Map<String, String> credentials,
                           Duration commandTimeout) {
        this.vertx = (VertxInternal) vertx;
        this.uri = uri(settings, credentials, commandTimeout);
        this.options = ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).keepAlive(true).build())
                .build();
        // Connect now so the first request does not pay for it; a failure here is retried on first use.
        connection(this.vertx.nettyEventLoopGroup().next()).exceptionally(e -> {
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

    /** The async commands of the calling event loop's connection, connecting first if need be. */
    public CompletionStage<RedisAsyncCommands<String, String>> commands() {
        ContextInternal context = vertx.getOrCreateContext();
        return connection(context.nettyEventLoop()).thenApply(StatefulRedisConnection::async);
    }

    private CompletableFuture<StatefulRedisConnection<String, String>> connection(EventLoop loop) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("redis backend is closed"));
        }
        return lanes.computeIfAbsent(loop, this::lane).connection();
    }

    private Lane lane(EventLoop loop) {
        ClientResources resources = DefaultClientResources.builder()
                .eventLoopGroupProvider(new OnLoop(loop))
                .timer(timer)
                .eventExecutorGroup(executors)
                // Reconnects back off quickly and cap at 1s, so a Redis that returns is used again within about a second.
                .reconnectDelay(() -> Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .nettyCustomizer(new NettyCustomizer() {
                    @Override
                    public void afterChannelInitialized(Channel channel) {
                        // Commands issued while the loop handles a batch of requests go out in one write
                        // (flushed when the batch is done, or every 64 commands), not one syscall each:
                        // pipelining across concurrent requests, for the gateway and for Redis.
                        channel.pipeline().addFirst(new FlushConsolidationHandler(64, true));
                    }
                })
                .build();
        RedisClient client = RedisClient.create(resources);
        client.setOptions(options);
        return new Lane(client, resources);
    }

    /** One event loop's client and connection. */
    private final class Lane {
        private final RedisClient client;
        private final ClientResources resources;
        private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, String>>> current = new AtomicReference<>();

        private Lane(RedisClient client, ClientResources resources) {
            this.client = client;
            this.resources = resources;
        }

        CompletableFuture<StatefulRedisConnection<String, String>> connection() {
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
                    client.connectAsync(Utf8StringCodec.INSTANCE, uri).whenComplete((connection, failure) -> {
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

        CompletableFuture<Void> close() {
            CompletableFuture<StatefulRedisConnection<String, String>> connection = current.get();
            CompletableFuture<Void> connectionClosed = connection == null ? CompletableFuture.completedFuture(null)
                    : connection.handle((c, e) -> c).thenCompose(c -> c == null ? CompletableFuture.completedFuture(null) : c.closeAsync());
            return connectionClosed.thenCompose(v -> client.shutdownAsync(0, 2, TimeUnit.SECONDS))
                    .handle((v, e) -> null)
                    .thenRun(() -> resources.shutdown(0, 2, TimeUnit.SECONDS));
        }
    }

    /**
     * Lends Lettuce one Vert.x event loop (as a group of one, so reconnects land on it too). The loop
     * belongs to Vert.x: releasing or shutting it down is a no-op here.
     */
    private record OnLoop(EventLoop loop) implements EventLoopGroupProvider {
        @Override
        @SuppressWarnings("unchecked")
        public <T extends EventLoopGroup> T allocate(Class<T> type) {
            return (T) loop;
        }

        @Override
        public int threadPoolSize() {
            return 1;
        }

        @Override
        public Future<Boolean> release(EventExecutorGroup group, long quietPeriod, long timeout, TimeUnit unit) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
        }

        @Override
        public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit unit) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
        }
    }

    /** Host and port only: the URL may carry a password. */
    String safeTarget() {
        return uri.getHost() + ":" + uri.getPort();
    }

    /**
     * Closes without blocking (it may run on an event loop when a retired config drains); the shared timer
     * is stopped from a thread of its own, since stopping it joins its worker thread.
     */
    @Override
    public void close() {
        closed = true;
        CompletableFuture.allOf(lanes.values().stream().map(Lane::close).toArray(CompletableFuture[]::new))
                .handle((v, e) -> null)
                .thenRunAsync(() -> {
                    timer.stop();
                    executors.shutdownGracefully(0, 2, TimeUnit.SECONDS);
                }, command -> Thread.ofPlatform().daemon().name("lettuce-close").start(command));
    }
}
