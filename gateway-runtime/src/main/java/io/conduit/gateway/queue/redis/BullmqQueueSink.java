package io.conduit.gateway.queue.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.conduit.config.ConfigJson;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.queue.IdempotencyKey;
import io.conduit.gateway.queue.IdempotencyRecord;
import io.conduit.gateway.queue.JobIds;
import io.conduit.gateway.queue.JobStatus;
import io.conduit.gateway.queue.QueueMessage;
import io.conduit.gateway.queue.QueueRef;
import io.conduit.gateway.redis.LuaScript;
import io.conduit.gateway.redis.RedisCalls;
import io.conduit.gateway.redis.RedisConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;

/**
 * Queues jobs that unmodified BullMQ 5 workers run as if Node's {@code queue.add(name, data, opts)}
 * had added them: one Lua script per add writes the job hash, places the id (wait, paused,
 * prioritized or delayed), wakes blocked workers through the marker, emits the events, and keeps the
 * idempotency record, all in one atomic step. See docs/design-notes.md for the layout.
 */
public final class BullmqQueueSink extends RedisQueueSink {
    public static final String BACKEND = "bullmq";
    private static final LuaScript ADD = LuaScript.resource(BullmqQueueSink.class, "bullmq-add.lua");
    private static final LuaScript STATUS = LuaScript.resource(BullmqQueueSink.class, "bullmq-status.lua");

    public BullmqQueueSink(Vertx vertx, String name, String prefix, long idempotencyTtlMillis, RedisConnection redis) {
        super(vertx, name, prefix, idempotencyTtlMillis, redis);
    }

    @Override
    public Future<QueueRef> send(QueueMessage message) {
        RedisQueueKeys keys = RedisQueueKeys.of(prefix, message.queue());
        BullmqJob job = BullmqJob.of(message);
        IdempotencyKey idempotency = message.idempotency();
        long now = System.currentTimeMillis();
        QueueRef template = ref(job.customId() != null ? job.customId() : IdempotencyRecord.JOB_ID, message.queue(),
                job.state(), now, job.priority());
        List<String> scriptKeys = List.of(keys.key("wait"), keys.key("paused"), keys.key("meta"), keys.key("id"),
                keys.key("prioritized"), keys.key("pc"), keys.key("delayed"), keys.key("marker"), keys.key("events"),
                keys.key("active"), keys.record(idempotency));
        List<String> args = List.of(keys.base(), job.customId() == null ? "" : job.customId(), job.name(),
                Long.toString(now), job.data(), job.opts(), Long.toString(job.delay()), Integer.toString(job.priority()),
                job.lifo() ? "1" : "", idempotency.fingerprint(), idempotency.attempt(),
                Long.toString(IdempotencyRecord.ttlMillis(idempotency, idempotencyTtlMillis, now)),
                IdempotencyRecord.kept(idempotency, template));
        return RedisCalls.call(vertx, redis, "queue backend " + name + " did not take the job",
                        r -> ADD.run(r, scriptKeys, args))
                .map(reply -> switch ((String) reply.get(0)) {
                    case "added" -> ref((String) reply.get(1), message.queue(), job.state(), now, job.priority());
                    case "repeat" -> IdempotencyRecord.answer(idempotency, (String) reply.get(1), (String) reply.get(2),
                            template, IdempotencyRecord.JOB_ID);
                    case "exists" -> {
                        long delay = Long.parseLong((String) reply.get(3));
                        int priority = Integer.parseInt((String) reply.get(4));
                        yield ref((String) reply.get(1), message.queue(), BullmqJob.stateOf(delay, priority),
                                Long.parseLong((String) reply.get(2)), priority).asDuplicate();
                    }
                    case "conflict" -> throw IdempotencyRecord.conflict(idempotency);
                    case "reserved" -> throw new GatewayException(ErrorCode.BAD_REQUEST,
                            JobIds.reservedMessage("job id", (String) reply.get(1)));
                    default -> throw new IllegalStateException("unexpected reply from " + ADD.name() + ": " + reply);
                });
    }

    private QueueRef ref(String jobId, String queue, String state, long timestamp, int priority) {
        return new QueueRef(BACKEND, name, jobId, queue, state, Instant.ofEpochMilli(timestamp).toString(),
                priority > 0 ? priority : null, null, null, null, false);
    }

    @Override
    public Future<JobStatus> status(String queue, String jobId) {
        RedisQueueKeys keys = RedisQueueKeys.of(prefix, queue);
        JobIds.requireSafe(jobId);
        List<String> scriptKeys = List.of(keys.key("completed"), keys.key("failed"), keys.key("delayed"),
                keys.key("prioritized"), keys.key("active"), keys.key("wait"), keys.key("paused"),
                keys.key("waiting-children"), keys.job(jobId));
        return RedisCalls.call(vertx, redis, "queue backend " + name + " did not answer",
                        r -> STATUS.run(r, scriptKeys, List.of(jobId)))
                .map(reply -> {
                    String state = (String) reply.get(0);
                    if (reply.size() == 1) {
                        return JobStatus.of(name, queue, jobId, state);
                    }
                    return new JobStatus(name, queue, jobId, state, Integer.parseInt((String) reply.get(1)),
                            json((String) reply.get(2)), json((String) reply.get(3)), (String) reply.get(4), null, null);
                });
    }

    /** BullMQ stores progress and return values as JSON text; anything else is shown as the text it is. */
    private static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return ConfigJson.MAPPER.readTree(text);
        } catch (Exception notJson) {
            return TextNode.valueOf(text);
        }
    }
}
