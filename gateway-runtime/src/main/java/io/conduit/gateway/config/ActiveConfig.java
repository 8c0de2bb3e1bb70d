package io.conduit.gateway.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.conduit.config.BlobBackendConfig;
import io.conduit.config.GatewayConfig;
import io.conduit.config.GatewayCredentials;
import io.conduit.config.QueueBackendConfig;
import io.conduit.gateway.blob.BlobSink;
import io.conduit.gateway.blob.mirror.MirrorEvents;
import io.conduit.gateway.edge.EdgeGuard;
import io.conduit.gateway.edge.Responses;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.queue.QueueSink;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config the gateway serves now, and how it changes: a new config is built off the event loop
 * and swapped in atomically; the old one keeps its in-flight requests and is closed when they end.
 * A config that fails to build is refused whole and the current one keeps serving.
 */
public final class ActiveConfig {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveConfig.class);

    /** What /admin/config reports besides the config itself. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String revision, String source, String loadedAt, String lastAttemptAt, String lastAttemptSource,
                         List<ConfigProblem> problems) {
    }

    /** What became of one load or push: {@code result} is applied, unchanged or refused. */
    public record Outcome(String result, String source, String revision, List<ConfigProblem> problems) {
    }

    private final Vertx vertx;
    private final SinkFactory factory;
    private volatile Consumer<Outcome> listener = outcome -> { };
    private final AtomicReference<LiveConfig> current = new AtomicReference<>();
    private volatile Status status = new Status(null, null, null, null, null, List.of());
    /** The last apply asked for; the next one starts when it ends. Guarded by {@code this}. */
    private Future<Void> tail = Future.succeededFuture();

    public ActiveConfig(Vertx vertx) {
        this(vertx, MirrorEvents.NONE, new EdgeGuard(vertx));
    }

    /**
     * As above, telling {@code mirrorEvents} (the metrics) how mirror copies go; {@code edge} compiles each
     * config's edge policies as it is built.
     */
    public ActiveConfig(Vertx vertx, MirrorEvents mirrorEvents, EdgeGuard edge) {
        this.vertx = vertx;
        this.factory = new SinkFactory(vertx, mirrorEvents, edge);
    }

    /** The config for a new request, held until {@link LiveConfig#release()}; null while none is loaded. */
    public LiveConfig acquire() {
        while (true) {
            LiveConfig live = current.get();
            if (live == null || live.acquire()) {
                return live;
            }
        }
    }

    /**
     * As {@link #acquire()}, for a request that cannot run without a config: while none is loaded, it is
     * answered 503 here and null returned.
     */
    public LiveConfig acquireOrRefuse(HttpServerRequest request) {
        LiveConfig live = acquire();
        if (live == null) {
            Responses.error(request, ErrorCode.NOT_READY, "no valid config loaded yet");
        }
        return live;
    }

    /** Tells {@code listener} of every load and push (metrics and the JSON log listen). */
    public void onOutcome(Consumer<Outcome> listener) {
        this.listener = listener;
    }

    public LiveConfig peek() {
        return current.get();
    }

    public Status status() {
        return status;
    }

    /** Records problems found before a config could even be rendered (unreadable YAML, invalid rules). */
    public void refuse(String source, List<ConfigProblem> problems) {
        LiveConfig live = current.get();
        status = new Status(live == null ? null : live.revision(), status.source(), status.loadedAt(), Instant.now().toString(), source,
                List.copyOf(problems));
        problems.forEach(p -> LOG.warn("config from {} refused: {} {}: {}", source, p.file() == null ? "" : p.file(),
                p.resource() == null ? "" : p.resource(), p.message()));
        listener.accept(new Outcome("refused", source, live == null ? null : live.revision(), List.copyOf(problems)));
    }

    /**
     * Builds and swaps in {@code config}; fails with {@link SinkFactory.InvalidConfigException} when
     * refused. Applies run one at a time in the order they were asked for (file watcher, SIGHUP and
     * pushes alike), so a slow older build can never overwrite a newer config, and the revision
     * answered is the one serving.
     */
    public Future<String> apply(GatewayConfig config, GatewayCredentials credentials, String source) {
        Promise<String> result = Promise.promise();
        synchronized (this) {
            tail = tail.transform(ignored -> applyNow(config, credentials, source).onComplete(result)).mapEmpty();
        }
        return result.future();
    }

    private Future<String> applyNow(GatewayConfig config, GatewayCredentials credentials, String source) {
        LiveConfig previous = current.get();
        if (previous != null && previous.revision().equals(config.revision())) {
            status = new Status(previous.revision(), status.source(), status.loadedAt(), Instant.now().toString(), source,
                    List.of());
            listener.accept(new Outcome("unchanged", source, previous.revision(), List.of()));
            return Future.succeededFuture(previous.revision());
        }
        Map<BlobBackendConfig, BlobSink> blobs = new HashMap<>();
        Map<QueueBackendConfig, QueueSink> queues = new HashMap<>();
        if (previous != null) {
            previous.config().blobBackends().forEach(b -> blobs.put(b, previous.blobSinks().get(b.name())));
            previous.config().queueBackends().forEach(q -> queues.put(q, previous.queueSinks().get(q.name())));
        }
        return vertx.executeBlocking(() -> factory.build(config, credentials, previous, blobs, queues), true)
                .onFailure(e -> {
                    if (e instanceof SinkFactory.InvalidConfigException invalid) {
                        refuse(source, invalid.problems());
                    } else {
                        refuse(source, List.of(new ConfigProblem(null, null, "Invalid", String.valueOf(e.getMessage()))));
                    }
                })
                .map(next -> {
                    swap(previous, next, source);
                    return next.revision();
                });
    }

    private void swap(LiveConfig previous, LiveConfig next, String source) {
        current.set(next);
        status = new Status(next.revision(), source, Instant.now().toString(), Instant.now().toString(), source, List.of());
        LOG.info("serving config revision {} from {} ({} routes)", next.revision(), source, next.config().routes().size());
        listener.accept(new Outcome("applied", source, next.revision(), List.of()));
        if (previous != null) {
            previous.retire(() -> closeUnused(previous, next));
        }
    }

    /** Closes sinks of {@code old} that {@code keep} does not use. */
    private static void closeUnused(LiveConfig old, LiveConfig keep) {
        Set<Object> kept = new HashSet<>();
        if (keep != null) {
            kept.addAll(keep.blobSinks().values());
            kept.addAll(keep.queueSinks().values());
        }
        old.blobSinks().values().stream().filter(s -> !kept.contains(s)).forEach(BlobSink::close);
        old.queueSinks().values().stream().filter(s -> !kept.contains(s)).forEach(QueueSink::close);
    }

    /** Retires the current config and closes its sinks once its requests end (shutdown). */
    public void close() {
        LiveConfig live = current.getAndSet(null);
        if (live != null) {
            live.retire(() -> closeUnused(live, null));
        }
    }

    public GatewayConfig config() {
        LiveConfig live = current.get();
        return live == null ? null : live.config();
    }
}
