package io.conduit.gateway.edge.logging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.gateway.edge.metrics.Metrics;
import io.conduit.gateway.edge.tracing.TraceContext;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the gateway learns about one request as it runs (rule, tenant, backend, the blobs and job it
 * produced), turned into its metrics and its one JSON log line when it ends. Confined to the
 * request's event loop. Holds no bodies and no header values besides the trace context.
 */
public final class Exchange {
    /** Status logged for a request whose client went away before it was answered (as nginx does). */
    public static final int CLIENT_CLOSED = 499;

    private final Telemetry telemetry;
    private final HttpServerRequest request;
    private final String requestId;
    private final TraceContext trace;
    private final long startNanos = System.nanoTime();
    private String rule = Metrics.NO_RULE;
    private String tenant = Metrics.NO_TENANT;
    private String backend;
    private final List<String> blobIds = new ArrayList<>();
    private String jobId;
    private String queue;
    private boolean finished;
    private final List<Runnable> onFinish = new ArrayList<>(1);

    Exchange(Telemetry telemetry, HttpServerRequest request, String requestId) {
        this.telemetry = telemetry;
        this.request = request;
        this.requestId = requestId;
        this.trace = TraceContext.from(request.headers());
        telemetry.metrics().requestStarted();
    }

    public String requestId() {
        return requestId;
    }

    public TraceContext trace() {
        return trace;
    }

    public Metrics metrics() {
        return telemetry.metrics();
    }

    public String rule() {
        return rule;
    }

    public void rule(String rule) {
        this.rule = rule;
    }

    public String tenant() {
        return tenant;
    }

    /** Set once the request is authenticated; metrics and logs say {@code -} until then. */
    public void tenant(String tenant) {
        this.tenant = tenant == null ? Metrics.NO_TENANT : tenant;
    }

    public void blobStored(String backend, String blobId) {
        this.backend = backend;
        blobIds.add(blobId);
    }

    public void queued(String backend, String queue, String jobId) {
        if (this.backend == null) {
            this.backend = backend;
        }
        this.queue = queue;
        this.jobId = jobId;
    }

    /**
     * Runs one write attempt against {@code backendName} and records its latency and outcome, so
     * retries show as several attempts.
     */
    public <T> Future<T> timedWrite(String backendName, String type, Supplier<Future<T>> write) {
        long start = System.nanoTime();
        Future<T> result;
        try {
            result = write.get();
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        return result.onComplete(ar -> telemetry.metrics().backendWrite(backendName, type, System.nanoTime() - start,
                ar.succeeded()));
    }

    /** A backend event of this request as its own JSON line (a write that failed for good, a dead letter). */
    public void backendEvent(String backendName, String event, String message, Throwable cause) {
        ObjectNode line = EventLog.event("backend")
                .put("event", event)
                .put("backend", backendName)
                .put("requestId", requestId)
                .put("rule", rule)
                .put("message", message);
        if (cause != null) {
            line.put("error", String.valueOf(cause.getMessage()));
        }
        telemetry.log().write(line);
    }

    /** The request became a WebSocket: counted as a 101; the connection writes its own ws.* lines. */
    public void upgraded() {
        if (finished) {
            return;
        }
        finished = true;
        telemetry.metrics().requestFinished(rule, request.method().name(), 101, tenant, System.nanoTime() - startNanos, 0, 0);
    }

    public Telemetry telemetry() {
        return telemetry;
    }

    /** Runs {@code action} when the request has ended (answered or abandoned), after its status is known. */
    public void onFinish(Runnable action) {
        onFinish.add(action);
    }

    public HttpServerRequest request() {
        return request;
    }

    /** Records the request's metrics and log line; only the first call counts. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        onFinish.forEach(Runnable::run);
        var response = request.response();
        int status = response.ended() ? response.getStatusCode() : CLIENT_CLOSED;
        long nanos = System.nanoTime() - startNanos;
        long bytesIn = request.bytesRead();
        long bytesOut = response.bytesWritten();
        telemetry.metrics().requestFinished(rule, request.method().name(), status, tenant, nanos, bytesIn, bytesOut);
        telemetry.log().write("request", line -> {
            line.writeStringField("requestId", requestId);
            line.writeStringField("method", request.method().name());
            line.writeStringField("path", request.path());
            line.writeStringField("rule", rule);
            line.writeStringField("tenant", tenant);
            line.writeNumberField("status", status);
            line.writeNumberField("bytesIn", bytesIn);
            line.writeNumberField("bytesOut", bytesOut);
            line.writeNumberField("durationMs", nanos / 1_000_000.0);
            line.writeStringField("traceId", trace.traceId());
            if (request.remoteAddress() != null) {
                line.writeStringField("client", request.remoteAddress().hostAddress());
            }
            if (backend != null) {
                line.writeStringField("backend", backend);
            }
            if (blobIds.size() == 1) {
                line.writeStringField("blobId", blobIds.get(0));
            } else if (!blobIds.isEmpty()) {
                line.writeArrayFieldStart("blobIds");
                for (String id : blobIds) {
                    line.writeString(id);
                }
                line.writeEndArray();
            }
            if (jobId != null) {
                line.writeStringField("jobId", jobId);
                line.writeStringField("queue", queue);
            }
        });
    }
}
