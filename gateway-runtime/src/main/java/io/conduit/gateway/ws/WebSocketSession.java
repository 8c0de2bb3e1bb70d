package io.conduit.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.conduit.config.ConfigJson;
import io.conduit.config.RouteConfig;
import io.conduit.gateway.config.LiveConfig;
import io.conduit.gateway.edge.EdgeGuard;
import io.conduit.gateway.edge.auth.Caller;
import io.conduit.gateway.edge.logging.EventLog;
import io.conduit.gateway.edge.logging.Exchange;
import io.conduit.gateway.edge.metrics.Metrics;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.ingest.RuleHandler;
import io.conduit.gateway.queue.MessagePayload;
import io.conduit.gateway.queue.QueueRef;
import io.conduit.gateway.routing.RouteMatch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * One WebSocket connection of a {@code when.ws} rule. Each complete message (text or binary, over any
 * number of frames) is queued like a request body and acknowledged with a text frame
 * {@code {"seq", "requestId", "queueRef"}} (or {@code "error"} in the gateway's error shape) once the
 * backend holds it. One message at a time: the socket is paused while a message is queued, so acks
 * come in order and memory is bounded by the message cap. Closes with 1009 when a message exceeds the
 * cap, with 1000 after {@code idleTimeout} without messages, with 1001 when a ping goes unanswered for
 * a whole {@code pingInterval} or the gateway shuts down. Each message is first admitted against the
 * rate limits and tenant quotas as the connection's caller; one over a limit is not queued and gets an
 * error frame ({@code too_many_requests} with {@code retryAfter} seconds), and the connection stays open.
 */
final class WebSocketSession {
    /** How each message is admitted: the edge guard, the caller the upgrade identified, and how refusals are counted. */
    record Admit(EdgeGuard guard, Caller caller, Consumer<Throwable> refused) {
    }

    static final short NORMAL = 1000;
    static final short GOING_AWAY = 1001;
    static final short TOO_BIG = 1009;

    private final HttpServerRequest upgrade;
    private final ServerWebSocket ws;
    private final Exchange exchange;
    private final LiveConfig live;
    private final RouteMatch.Found found;
    private final RuleHandler rules;
    private final RouteConfig.WebSocket limits;
    private final Admit admit;
    private final Vertx vertx;
    private final Context context;
    private final Metrics metrics;
    private final EventLog log;
    private final String rule;
    private final long openedNanos = System.nanoTime();

    private Buffer message;
    private boolean binary;
    private long seq;
    private boolean busy;
    private boolean goingAway;
    private boolean closing;
    private long lastMessageNanos = System.nanoTime();
    private boolean pingUnanswered;
    private long idleTimer = -1;
    private long pingTimer = -1;
    private Runnable onClosed;

    WebSocketSession(HttpServerRequest upgrade, ServerWebSocket ws, Exchange exchange, LiveConfig live, RouteMatch.Found found,
                     RuleHandler rules, Admit admit) {
        this.upgrade = upgrade;
        this.ws = ws;
        this.exchange = exchange;
        this.live = live;
        this.found = found;
        this.rules = rules;
        this.limits = found.route().config().match().ws();
        this.admit = admit;
        this.context = Vertx.currentContext();
        this.vertx = context.owner();
        this.metrics = exchange.metrics();
        this.log = exchange.telemetry().log();
        this.rule = found.route().id();
    }

    void start(Runnable whenClosed) {
        this.onClosed = whenClosed;
        metrics.webSocketOpened();
        ObjectNode connect = event("ws.connect").put("path", upgrade.path());
        if (upgrade.remoteAddress() != null) {
            connect.put("client", upgrade.remoteAddress().hostAddress());
        }
        log.write(connect);
        ws.frameHandler(this::frame);
        ws.pongHandler(pong -> pingUnanswered = false);
        ws.exceptionHandler(e -> close(NORMAL, "error: " + e.getMessage()));
        ws.closeHandler(v -> closed());
        long idleCheck = Math.max(50, Math.min(1_000, limits.idleTimeoutMillis() / 4));
        idleTimer = vertx.setPeriodic(idleCheck, t -> {
            if (!busy && System.nanoTime() - lastMessageNanos > limits.idleTimeoutMillis() * 1_000_000) {
                close(NORMAL, "idle timeout");
            }
        });
        pingTimer = vertx.setPeriodic(limits.pingIntervalMillis(), t -> {
            if (pingUnanswered) {
                close(GOING_AWAY, "ping timeout");
                return;
            }
            pingUnanswered = true;
            ws.writePing(Buffer.buffer("conduit"));
        });
    }

    private void frame(WebSocketFrame frame) {
        if (closing) {
            return;
        }
        if (frame.isText() || frame.isBinary()) {
            message = Buffer.buffer();
            binary = frame.isBinary();
        } else if (!frame.isContinuation() || message == null) {
            return; // control frames: Vert.x answers pings and closes itself
        }
        Buffer data = frame.binaryData();
        if ((long) message.length() + data.length() > limits.maxMessageSize()) {
            message = null;
            close(TOO_BIG, "message exceeds " + limits.maxMessageSize() + " bytes");
            return;
        }
        message.appendBuffer(data);
        if (frame.isFinal()) {
            Buffer complete = message;
            message = null;
            deliver(complete);
        }
    }

    private void deliver(Buffer bytes) {
        lastMessageNanos = System.nanoTime();
        long n = ++seq;
        String messageId = exchange.requestId() + "-" + n;
        long start = System.nanoTime();
        busy = true;
        ws.pause();
        metrics.webSocketFrame(rule, "in");
        JsonNode payload = body(bytes, binary);
        Future<QueueRef> queued = admit.guard().admitMessage(upgrade, live.edge(), found.route(), admit.caller(), bytes.length())
                .onFailure(admit.refused()::accept)
                .compose(admission -> rules.enqueueMessage(upgrade, exchange, live, found, MessagePayload.of(payload), messageId)
                        .onComplete(done -> admission.finish(bytes.length())));
        // Session state is the connection's own: answers from other threads (Redis) come back to its context.
        queued.onComplete(ar -> context.runOnContext(v -> {
            ObjectNode ack = JsonNodeFactory.instance.objectNode().put("seq", n).put("requestId", messageId);
            ObjectNode line = event("ws.message").put("seq", n).put("messageId", messageId).put("bytes", bytes.length())
                    .put("durationMs", (System.nanoTime() - start) / 1_000_000.0);
            if (ar.succeeded()) {
                QueueRef ref = ar.result();
                ack.set("queueRef", ConfigJson.MAPPER.valueToTree(ref));
                line.put("status", "queued").put("backend", ref.backendName()).put("jobId", ref.jobId()).put("queue", ref.queue());
            } else {
                GatewayException e = ar.cause() instanceof GatewayException g ? g
                        : GatewayException.unavailable("the queue backend did not take the message", ar.cause());
                ObjectNode error = ack.putObject("error").put("code", e.code().code()).put("message", e.getMessage())
                        .put("requestId", messageId);
                if (e.retryAfterSeconds() != null) {
                    error.put("retryAfter", e.retryAfterSeconds());
                }
                line.put("status", "error").put("error", e.code().code());
            }
            log.write(line);
            busy = false;
            lastMessageNanos = System.nanoTime();
            if (ws.isClosed()) {
                return;
            }
            ws.writeTextMessage(ConfigJson.write(ack));
            metrics.webSocketFrame(rule, "out");
            if (goingAway) {
                close(GOING_AWAY, "gateway shutting down");
            } else {
                ws.resume();
            }
        }));
    }

    /** Text that is JSON becomes that JSON; other text a string; binary a base64 string. */
    static JsonNode body(Buffer bytes, boolean binary) {
        if (binary) {
            return TextNode.valueOf(Base64.getEncoder().encodeToString(bytes.getBytes()));
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        try {
            return ConfigJson.MAPPER.readTree(text);
        } catch (Exception notJson) {
            return TextNode.valueOf(text);
        }
    }

    /** Called on the event loop of any thread: closes once the message in hand (if any) is acknowledged. */
    void goAway() {
        vertx.runOnContext(v -> {
            goingAway = true;
            if (!busy) {
                close(GOING_AWAY, "gateway shutting down");
            }
        });
    }

    private void close(short code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        ws.close(code, reason);
    }

    private void closed() {
        vertx.cancelTimer(idleTimer);
        vertx.cancelTimer(pingTimer);
        metrics.webSocketClosed();
        Short code = ws.closeStatusCode();
        log.write(event("ws.close")
                .put("code", code == null ? 1006 : code)
                .put("reason", ws.closeReason())
                .put("messages", seq)
                .put("durationMs", (System.nanoTime() - openedNanos) / 1_000_000.0));
        onClosed.run();
    }

    private ObjectNode event(String type) {
        return EventLog.event(type).put("requestId", exchange.requestId()).put("rule", rule)
                .put("tenant", exchange.tenant()).put("traceId", exchange.trace().traceId());
    }
}
