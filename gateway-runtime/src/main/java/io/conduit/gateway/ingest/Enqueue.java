package io.conduit.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.config.QueueBackendConfig;
import io.conduit.config.RouteConfig;
import io.conduit.gateway.config.LiveConfig;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.queue.BodyFingerprint;
import io.conduit.gateway.queue.IdempotencyKey;
import io.conduit.gateway.queue.JobIds;
import io.conduit.gateway.queue.JobOptions;
import io.conduit.gateway.queue.MessagePayload;
import io.conduit.gateway.queue.QueueMessage;
import io.conduit.gateway.queue.QueueRef;
import io.conduit.gateway.queue.QueueSink;
import io.conduit.gateway.routing.CompiledRoute;
import io.conduit.template.Context;
import io.conduit.template.RouteTemplates;
import io.conduit.template.ValueTemplate;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/** A queue rule's write: renders the rule's message for a body and sends it, retried within the deadline. */
final class Enqueue {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final QueueSend queues;

    Enqueue(QueueSend queues) {
        this.queues = queues;
    }

    /** Completes with the queueRef once the backend holds the message. */
    Future<QueueRef> send(RequestData data, LiveConfig live, CompiledRoute route, MessagePayload body, String contentType,
                          String idempotencyHeader, long deadline) {
        RouteConfig.Queue q = route.config().queue();
        QueueSink sink = live.queueSink(q.backend()).orElseThrow();
        QueueBackendConfig backend = live.config().queueBackend(q.backend()).orElseThrow();
        QueueMessage message = message(data, route, backend, body, contentType, idempotencyHeader, deadline);
        return queues.send(sink, message, data.exchange(), deadline)
                .recover(e -> {
                    if (!(e instanceof GatewayException g) || g.code().status() >= 500) {
                        data.exchange().backendEvent(sink.name(), "write-failed", "the message was not taken", e);
                    }
                    return Future.failedFuture(e instanceof GatewayException ? e
                            : GatewayException.unavailable("queue backend " + sink.name() + " did not take the message", e));
                })
                .onSuccess(ref -> data.exchange().queued(sink.name(), ref.queue(), ref.jobId()));
    }

    private static QueueMessage message(RequestData data, CompiledRoute route, QueueBackendConfig backend, MessagePayload body,
                                        String contentType, String idempotencyHeader, long deadline) {
        RouteConfig.Queue q = route.config().queue();
        RouteTemplates t = route.templates();
        Context before = data.context(body, Map.of(), Map.of());
        String rendered = t.jobId() == null ? null : t.jobId().render(before);
        String ruleJobId = rendered == null || rendered.isEmpty() ? null : rendered;
        // The client's key names the job when the rule names none, so a repeat finds the same job.
        String jobId = ruleJobId != null ? ruleJobId : idempotencyHeader;
        String key = idempotencyHeader != null ? idempotencyHeader : ruleJobId;
        String queue = t.queueName().render(before);
        return new QueueMessage(
                queue,
                jobId,
                q.jobName() != null ? q.jobName() : queue,
                t.messageIsWholeBody() ? body : MessagePayload.of(t.message().render(before)),
                options(q, t, before, backend),
                QueueSend.origin(data, contentType),
                key == null ? IdempotencyKey.forRetries(deadline) : IdempotencyKey.client(key, BodyFingerprint.of(body.tree())));
    }

    /** The {@code Idempotency-Key} header, held to the job id rules since it may become the job id. */
    static String idempotencyKeyHeader(HttpServerRequest request) {
        String value = request.getHeader(IDEMPOTENCY_KEY);
        if (value == null) {
            return null;
        }
        if (JobIds.isReserved(value.trim())) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, JobIds.reservedMessage(IDEMPOTENCY_KEY, value.trim()));
        }
        try {
            return JobIds.requireSafe(value.trim());
        } catch (GatewayException e) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, IDEMPOTENCY_KEY + " is not allowed: use 1-200 letters, "
                    + "digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private static JobOptions options(RouteConfig.Queue q, RouteTemplates t, Context context, QueueBackendConfig backend) {
        RouteConfig.Options o = q.options() == null ? RouteConfig.Options.NONE : q.options();
        QueueBackendConfig.JobDefaults d = backend.jobDefaults() == null ? QueueBackendConfig.JobDefaults.NONE
                : backend.jobDefaults();
        Integer attempts = integer(t.attempts(), context, "attempts");
        return new JobOptions(
                integer(t.priority(), context, "priority"),
                longValue(t.delay(), context, "delay"),
                attempts != null ? attempts : d.attempts(),
                o.backoff() != null ? o.backoff() : d.backoff(),
                o.lifo(),
                d.removeOnComplete(),
                d.removeOnFail(),
                t.recordKey() == null ? null : t.recordKey().render(context));
    }

    private static Integer integer(ValueTemplate template, Context context, String what) {
        Long value = longValue(template, context, what);
        return value == null ? null : Math.toIntExact(value);
    }

    private static Long longValue(ValueTemplate template, Context context, String what) {
        if (template == null) {
            return null;
        }
        JsonNode value = template.render(context);
        if (value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
            return null;
        }
        if (value.canConvertToLong() && value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isTextual() && value.asText().matches("-?[0-9]{1,18}")) {
            return Long.parseLong(value.asText());
        }
        throw new GatewayException(ErrorCode.BAD_REQUEST, "option " + what + " must be a whole number, got " + value);
    }
}
