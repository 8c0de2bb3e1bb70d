package io.conduit.gateway.replay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.config.EdgeConfig;
import io.conduit.gateway.edge.limits.BodyProgress;
import io.conduit.gateway.edge.logging.EventLog;
import io.conduit.gateway.edge.logging.Exchange;
import io.conduit.gateway.edge.metrics.Metrics;
import io.conduit.gateway.routing.CompiledRoute;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records matched requests as JSON lines ({@code type: recorded}) that {@code conduit-gateway replay}
 * can send again: method, URI, headers (values of the redacted ones replaced), the body up to the
 * cap (base64), the status answered. Every request when the gateway's {@code record.enabled}, else
 * the requests of rules with {@code record: true}. A multipart upload to a blob rule is recorded as
 * it came, framing and all (the raw bytes, seen before the parts are decoded), so replay sends the same form.
 */
public final class RequestRecorder implements AutoCloseable {
    public static final String REDACTED = "[redacted]";

    private final Metrics metrics;
    private final Map<String, EventLog> files = new ConcurrentHashMap<>();

    public RequestRecorder(Metrics metrics) {
        this.metrics = metrics;
    }

    /** Starts recording {@code exchange} if its rule or the gateway asks for it; the line is written when it ends. */
    public void maybeRecord(Exchange exchange, EdgeConfig.Record settings, CompiledRoute route, BodyProgress progress) {
        if (!settings.enabled() && !route.config().record()) {
            return;
        }
        HttpServerRequest request = exchange.request();
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        boolean multipartBlob = route.isBlob() && contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
        Buffer body = Buffer.buffer();
        long[] seen = {0};
        Handler<Buffer> keep = chunk -> {
            seen[0] += chunk.length();
            int room = (int) Math.max(0, Math.min(Integer.MAX_VALUE, settings.maxBodyBytes() - body.length()));
            if (room > 0) {
                body.appendBuffer(chunk.length() <= room ? chunk : chunk.slice(0, room));
            }
        };
        if (multipartBlob) {
            progress.tapRaw(keep);
        } else {
            progress.tap(keep);
        }
        long start = System.nanoTime();
        exchange.onFinish(() -> {
            ObjectNode line = EventLog.event("recorded")
                    .put("requestId", exchange.requestId())
                    .put("rule", route.id())
                    .put("method", request.method().name())
                    .put("uri", request.uri());
            ObjectNode headers = line.putObject("headers");
            for (String name : request.headers().names()) {
                String lower = name.toLowerCase(Locale.ROOT);
                if (settings.redactHeaders().contains(lower)) {
                    headers.putArray(lower).add(REDACTED);
                } else {
                    ArrayNode values = headers.putArray(lower);
                    request.headers().getAll(name).forEach(values::add);
                }
            }
            line.put("body", Base64.getEncoder().encodeToString(body.getBytes()))
                    .put("bodySize", seen[0])
                    .put("truncated", seen[0] > body.length());
            line.put("status", request.response().ended() ? request.response().getStatusCode() : Exchange.CLIENT_CLOSED)
                    .put("durationMs", (System.nanoTime() - start) / 1_000_000.0);
            files.computeIfAbsent(settings.path(), p -> EventLog.openLazily(Path.of(p), metrics)).write(line);
        });
    }

    @Override
    public void close() {
        files.values().forEach(EventLog::close);
    }
}
