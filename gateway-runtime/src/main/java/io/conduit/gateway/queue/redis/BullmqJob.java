package io.conduit.gateway.queue.redis;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.config.ConfigJson;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.queue.JobIds;
import io.conduit.gateway.queue.JobOptions;
import io.conduit.gateway.queue.QueueMessage;

/**
 * A message as the BullMQ 5 job hash holds it, written the way Node's {@code Queue.add(name, data, opts)}
 * writes it: {@code data} is the JSON text ({@code {}} when there is none), {@code opts} the options under
 * BullMQ's names ({@code attempts} always, 0 by default; {@code backoff} as {@code {type, delay, jitter?}};
 * {@code jobId} only when custom), {@code delay} and {@code priority} as numbers. The request's W3C trace
 * context goes where BullMQ's own telemetry carries it: {@code opts.tm} (read back as
 * {@code job.opts.telemetry.metadata}) holds the propagation carrier as JSON text,
 * {@code {"traceparent": …, "tracestate": …}}, which a worker with OpenTelemetry telemetry continues.
 */
record BullmqJob(String customId, String name, String data, String opts, long delay, int priority, boolean lifo) {
    /** BullMQ's own limit: priorities are 21-bit so the prioritized score stays an exact double. */
    static final int PRIORITY_LIMIT = (1 << 21) - 1;

    static BullmqJob of(QueueMessage message) {
        String customId = message.jobId() == null ? null : JobIds.requireBullmqSafe(message.jobId());
        JobOptions o = message.options() == null ? JobOptions.NONE : message.options();
        long delay = o.delay() == null ? 0 : o.delay();
        if (delay < 0) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "option delay must be 0 or more milliseconds, got " + delay);
        }
        int priority = o.priority() == null ? 0 : o.priority();
        if (priority < 0 || priority > PRIORITY_LIMIT) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "option priority must be between 0 and " + PRIORITY_LIMIT
                    + " (1 runs first; 0 means none), got " + priority);
        }
        int attempts = o.attempts() == null ? 0 : o.attempts();
        if (attempts < 0) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "option attempts must be 0 or more, got " + attempts);
        }
        ObjectNode opts = JsonNodeFactory.instance.objectNode();
        opts.put("attempts", attempts);
        if (delay > 0) {
            opts.put("delay", delay);
        }
        if (priority > 0) {
            opts.put("priority", priority);
        }
        if (o.backoff() != null) {
            ObjectNode backoff = opts.putObject("backoff")
                    .put("type", o.backoff().type().name())
                    // A backoff without a delay would be NaN milliseconds in the worker: say 0 (retry at once) instead.
                    .put("delay", o.backoff().delay() == null ? 0 : o.backoff().delay());
            if (o.backoff().jitter() != null) {
                backoff.put("jitter", o.backoff().jitter());
            }
        }
        boolean lifo = Boolean.TRUE.equals(o.lifo());
        if (lifo) {
            opts.put("lifo", true);
        }
        if (o.removeOnComplete() != null) {
            opts.set("removeOnComplete", o.removeOnComplete());
        }
        if (o.removeOnFail() != null) {
            opts.set("removeOnFail", o.removeOnFail());
        }
        if (customId != null) {
            opts.put("jobId", customId);
        }
        if (message.origin().traceparent() != null) {
            opts.put("tm", telemetryMetadata(message.origin().traceparent(), message.origin().tracestate()));
        }
        String data = message.payload().isNull() ? "{}" : message.payload().json();
        return new BullmqJob(customId, message.jobName(), data, ConfigJson.write(opts), delay, priority, lifo);
    }

    /** BullMQ's telemetry metadata: the OpenTelemetry propagation carrier of the trace context, as JSON text. */
    static String telemetryMetadata(String traceparent, String tracestate) {
        ObjectNode carrier = JsonNodeFactory.instance.objectNode().put("traceparent", traceparent);
        if (tracestate != null) {
            carrier.put("tracestate", tracestate);
        }
        return ConfigJson.write(carrier);
    }

    /** The state BullMQ reports right after the add. */
    String state() {
        return stateOf(delay, priority);
    }

    /** A delay wins over a priority, as in BullMQ: a delayed job with a priority is prioritized once due. */
    static String stateOf(long delay, int priority) {
        return delay > 0 ? "delayed" : priority > 0 ? "prioritized" : "waiting";
    }
}
