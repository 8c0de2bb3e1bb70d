package io.conduit.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.config.QueueBackendConfig;
import io.conduit.config.RouteConfig;
import io.conduit.gateway.config.LiveConfig;
import io.conduit.gateway.edge.logging.Exchange;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.queue.QueueMessage;
import io.conduit.gateway.queue.QueueSink;
import io.conduit.gateway.routing.CompiledRoute;
import io.conduit.template.Context;
import io.conduit.template.RouteTemplates;
import io.vertx.core.Future;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The onComplete envelope, after the main write. Retried within the deadline; if it still fails it goes
 * to the dead-letter queue with the error; only if that fails too is the request an error.
 */
final class FollowUp {
    private static final Logger LOG = LoggerFactory.getLogger(FollowUp.class);

    private final QueueSend queues;

    FollowUp(QueueSend queues) {
        this.queues = queues;
    }

    Future<Void> send(LiveConfig live, CompiledRoute route, Context after, RequestData data) {
        RouteConfig.Enqueue enqueue = route.config().onComplete();
        if (enqueue == null) {
            return Future.succeededFuture();
        }
        QueueSink sink = live.queueSink(enqueue.backend()).orElseThrow();
        QueueBackendConfig backend = live.config().queueBackend(enqueue.backend()).orElseThrow();
        RouteTemplates t = route.templates();
        long deadline = System.currentTimeMillis() + live.config().edge().limits().requestTimeoutMillis();
        return send(sink, backend.jobDefaults() == null ? QueueBackendConfig.JobDefaults.NONE : backend.jobDefaults(),
                t.enqueueTo().render(after), t.envelope().render(after), data, deadline);
    }

    /** Sends {@code envelope} to {@code to}, and on failure to its dead-letter queue if {@code defaults} keep one. */
    Future<Void> send(QueueSink sink, QueueBackendConfig.JobDefaults defaults, String to, JsonNode envelope, RequestData data,
                      long deadline) {
        return queues.send(sink, QueueSend.envelope(to, envelope, data, deadline), data.exchange(), deadline)
                .<Void>mapEmpty()
                .recover(failure -> defaults.deadLetter()
                        ? deadLetter(sink, to, to + defaults.deadLetterSuffix(), envelope, data, deadline, failure)
                        : Future.failedFuture(GatewayException.unavailable("stored, but the follow-up envelope could not be "
                                + "queued to " + to, failure)));
    }

    /** The envelope {@code to} refused, with the error, queued to {@code dlq} on the same backend. */
    private Future<Void> deadLetter(QueueSink sink, String to, String dlq, JsonNode envelope, RequestData data, long deadline,
                                    Throwable failure) {
        LOG.warn("follow-up envelope for request {} to {} failed; sending it to {}", data.requestId(), to, dlq, failure);
        ObjectNode dead = JsonNodeFactory.instance.objectNode()
                .put("error", String.valueOf(failure.getMessage()))
                .put("queue", to)
                .put("failedAt", Instant.now().toString())
                .put("requestId", data.requestId());
        dead.set("envelope", envelope);
        QueueMessage deadLetter = QueueSend.envelope(dlq, dead, data, deadline);
        Exchange exchange = data.exchange();
        exchange.backendEvent(sink.name(), "dead-letter", "follow-up envelope to " + to + " failed, sending it to " + dlq,
                failure);
        return queues.send(sink, deadLetter, exchange, deadline)
                .onSuccess(ref -> exchange.metrics().deadLetter(sink.name()))
                .<Void>mapEmpty()
                .recover(e -> Future.failedFuture(GatewayException.unavailable(
                        "stored, but the follow-up envelope could not be queued to " + to + " nor to " + dlq, e)));
    }
}
