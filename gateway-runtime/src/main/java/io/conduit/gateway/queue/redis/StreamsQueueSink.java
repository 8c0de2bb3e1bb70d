package io.conduit.gateway.queue.redis;

import io.conduit.config.ConfigJson;
import io.conduit.gateway.queue.IdempotencyKey;
import io.conduit.gateway.queue.IdempotencyRecord;
import io.conduit.gateway.queue.JobIds;
import io.conduit.gateway.queue.JobOptions;
import io.conduit.gateway.queue.JobStatus;
import io.conduit.gateway.queue.QueueMessage;
import io.conduit.gateway.queue.QueueRef;
import io.conduit.gateway.redis.LuaScript;
import io.conduit.gateway.redis.RedisCalls;
import io.conduit.gateway.redis.RedisConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Appends each message to the stream {@code <prefix>:<queue>} (XADD, trimmed with {@code MAXLEN ~}
 * when the backend sets streamMaxLen), in one script with its idempotency record. The entry holds
 * {@code message} (JSON) and the metadata consumers need: {@code name}, {@code requestId},
 * {@code contentType}, {@code timestamp}, and when present {@code jobId}, {@code tenant},
 * {@code traceparent}, {@code tracestate}, {@code options}. The entry id is the queueRef's {@code messageId}, and its
 * {@code jobId} unless the rule or client chose one.
 */
public final class StreamsQueueSink extends RedisQueueSink {
    public static final String BACKEND = "redis-streams";
    private static final LuaScript ADD = LuaScript.resource(StreamsQueueSink.class, "streams-add.lua");
    private static final LuaScript STATUS = LuaScript.resource(StreamsQueueSink.class, "streams-status.lua");
    private static final Pattern ENTRY_ID = Pattern.compile("[0-9]{1,20}-[0-9]{1,20}");

    private final Long maxLen;

    public StreamsQueueSink(Vertx vertx, String name, String prefix, Long maxLen, long idempotencyTtlMillis,
                            RedisConnection redis) {
        super(vertx, name, prefix, idempotencyTtlMillis, redis);
        this.maxLen = maxLen;
    }

    @Override
    public Future<QueueRef> send(QueueMessage message) {
        RedisQueueKeys keys = RedisQueueKeys.of(prefix, message.queue());
        String jobId = message.jobId() == null ? null : JobIds.requireSafe(message.jobId());
        IdempotencyKey idempotency = message.idempotency();
        long now = System.currentTimeMillis();
        Integer priority = message.options() == null ? null : message.options().priority();
        QueueRef template = new QueueRef(BACKEND, name, jobId != null ? jobId : IdempotencyRecord.MESSAGE_ID,
                message.queue(), "waiting", Instant.ofEpochMilli(now).toString(), priority, null, null,
                IdempotencyRecord.MESSAGE_ID, keys.stream(), false);
        List<String> args = new ArrayList<>(List.of(maxLen == null ? "" : maxLen.toString(), idempotency.fingerprint(),
                idempotency.attempt(), Long.toString(IdempotencyRecord.ttlMillis(idempotency, idempotencyTtlMillis, now)),
                IdempotencyRecord.kept(idempotency, template)));
        args.addAll(fields(message, jobId, now));
        List<String> scriptKeys = List.of(keys.stream(), keys.record(idempotency));
        return RedisCalls.call(vertx, redis, "queue backend " + name + " did not take the message",
                        r -> ADD.run(r, scriptKeys, args))
                .map(reply -> switch ((String) reply.get(0)) {
                    case "added" -> {
                        String entryId = (String) reply.get(1);
                        yield new QueueRef(BACKEND, name, jobId != null ? jobId : entryId, message.queue(), "waiting",
                                template.timestamp(), priority, null, null, entryId, keys.stream(), false);
                    }
                    case "repeat" -> IdempotencyRecord.answer(idempotency, (String) reply.get(1), (String) reply.get(2),
                            template, IdempotencyRecord.MESSAGE_ID);
                    case "conflict" -> throw IdempotencyRecord.conflict(idempotency);
                    default -> throw new IllegalStateException("unexpected reply from " + ADD.name() + ": " + reply);
                });
    }

    /** The entry's fields, in a fixed order; absent values are left out rather than written empty. */
    static List<String> fields(QueueMessage message, String jobId, long timestamp) {
        List<String> fields = new ArrayList<>();
        fields.add("message");
        fields.add(message.payload().json());
        add(fields, "name", message.jobName());
        add(fields, "jobId", jobId);
        add(fields, "requestId", message.origin().requestId());
        add(fields, "contentType", message.origin().contentType());
        add(fields, "tenant", message.origin().tenant());
        add(fields, "traceparent", message.origin().traceparent());
        add(fields, "tracestate", message.origin().tracestate());
        add(fields, "timestamp", Long.toString(timestamp));
        if (message.options() != null && !message.options().equals(JobOptions.NONE)) {
            add(fields, "options", ConfigJson.write(message.options()));
        }
        return fields;
    }

    private static void add(List<String> fields, String field, String value) {
        if (value != null) {
            fields.add(field);
            fields.add(value);
        }
    }

    /**
     * By entry id, always; by a custom job id while its idempotency record lives (the record names the
     * entry). {@code unknown} when there is no such entry (never added, or trimmed away).
     */
    @Override
    public Future<JobStatus> status(String queue, String jobId) {
        RedisQueueKeys keys = RedisQueueKeys.of(prefix, queue);
        JobIds.requireSafe(jobId);
        Future<String> entryId = ENTRY_ID.matcher(jobId).matches() ? Future.succeededFuture(jobId)
                : RedisCalls.call(vertx, redis, "queue backend " + name + " did not answer",
                        r -> r.get(keys.clientRecord(jobId))).map(StreamsQueueSink::entryIdOf);
        return entryId.compose(id -> {
            if (id == null) {
                return Future.succeededFuture(JobStatus.of(name, queue, jobId, "unknown"));
            }
            return RedisCalls.call(vertx, redis, "queue backend " + name + " did not answer",
                    r -> STATUS.run(r, List.of(keys.stream()), List.of(id))).map(reply -> status(queue, jobId, id, reply));
        });
    }

    private static String entryIdOf(String record) {
        if (record == null) {
            return null;
        }
        try {
            String id = IdempotencyRecord.idOf(record);
            return ENTRY_ID.matcher(id).matches() ? id : null;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private JobStatus status(String queue, String jobId, String entryId, List<Object> reply) {
        if (((Long) reply.get(0)) == 0) {
            return new JobStatus(name, queue, jobId, "unknown", null, null, null, null, entryId, null);
        }
        List<JobStatus.GroupState> groups = new ArrayList<>();
        for (Object o : reply.subList(1, reply.size())) {
            List<Object> g = (List<Object>) o;
            String group = (String) g.get(0);
            String consumer = (String) g.get(2);
            if (consumer != null) {
                groups.add(new JobStatus.GroupState(group, "pending", consumer, (Long) g.get(3)));
            } else {
                boolean delivered = compare(entryId, (String) g.get(1)) <= 0;
                groups.add(new JobStatus.GroupState(group, delivered ? "acknowledged" : "new", null, null));
            }
        }
        return new JobStatus(name, queue, jobId, overall(groups), null, null, null, null, entryId, List.copyOf(groups));
    }

    /** pending if any group holds it unacknowledged; acknowledged once every group has; else waiting. */
    private static String overall(List<JobStatus.GroupState> groups) {
        if (groups.stream().anyMatch(g -> g.state().equals("pending"))) {
            return "pending";
        }
        if (!groups.isEmpty() && groups.stream().allMatch(g -> g.state().equals("acknowledged"))) {
            return "acknowledged";
        }
        return "waiting";
    }

    /** Orders stream ids {@code ms-seq} numerically. */
    static int compare(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        int c = Long.compareUnsigned(Long.parseUnsignedLong(x[0]), Long.parseUnsignedLong(y[0]));
        return c != 0 ? c : Long.compareUnsigned(Long.parseUnsignedLong(x[1]), Long.parseUnsignedLong(y[1]));
    }
}
