package io.conduit.gateway.queue.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.conduit.config.ConfigJson;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.queue.IdempotencyKey;
import io.conduit.gateway.queue.IdempotencyRecord;
import io.conduit.gateway.queue.IdempotencyRecords;
import io.conduit.gateway.queue.QueueRef;
import io.conduit.gateway.redis.RedisCalls;
import io.conduit.gateway.redis.RedisConnection;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency records in a Redis every gateway replica shares, for a kafka backend with {@code idempotencyRedis}.
 * A key is claimed first ({@code SET NX} of a {@code pending} record with a short ttl), then the record is written
 * to Kafka, then the record is set to the queueRef for the backend's idempotency ttl. A duplicate that finds the
 * claim pending waits for it; a failed write releases the claim. Record:
 * {@code <prefix>:kafka:<topic>:idem:<key>} = {@code <body sha256>\n<attempt>\n<pending | queueRef JSON>}.
 *
 * <p>Unlike the Redis queue backends, the record and the message are not one atomic step (they live in two
 * systems): if the gateway dies between Kafka's acknowledgement and the record, the claim expires and a repeat
 * writes again.
 */
public final class RedisIdempotency implements IdempotencyRecords {
    static final String PENDING = "pending";
    private static final Logger LOG = LoggerFactory.getLogger(RedisIdempotency.class);
    /** Deletes the claim only while it is still this request's. */
    private static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
    private static final long POLL_MILLIS = 25;

    private final Vertx vertx;
    private final RedisConnection redis;
    private final String prefix;
    private final long ttlMillis;
    private final long pendingMillis;

    /** @param pendingMillis how long a claim lives without its write finishing (longer than any request) */
    public RedisIdempotency(Vertx vertx, RedisConnection redis, String prefix, long ttlMillis, long pendingMillis) {
        this.vertx = vertx;
        this.redis = redis;
        this.prefix = prefix;
        this.ttlMillis = ttlMillis;
        this.pendingMillis = pendingMillis;
    }

    String key(String scope, String keyValue) {
        return prefix + ":kafka:" + scope + ":idem:" + keyValue;
    }

    @Override
    public Future<QueueRef> once(String scope, IdempotencyKey key, Supplier<Future<QueueRef>> write) {
        return once(scope, key, write, System.currentTimeMillis() + pendingMillis);
    }

    private Future<QueueRef> once(String scope, IdempotencyKey key, Supplier<Future<QueueRef>> write, long giveUpAt) {
        String k = key(scope, key.value());
        String head = key.fingerprint() + "\n" + key.attempt() + "\n";
        String claim = head + PENDING;
        return call(r -> r.set(k, claim, SetArgs.Builder.nx().px(pendingMillis))).compose(ok -> "OK".equals(ok)
                ? write(k, head, claim, write)
                : existing(scope, key, write, giveUpAt));
    }

    private Future<QueueRef> write(String k, String head, String claim, Supplier<Future<QueueRef>> write) {
        Future<QueueRef> written;
        try {
            written = write.get();
        } catch (RuntimeException e) {
            written = Future.failedFuture(e);
        }
        return written.compose(
                ref -> call(r -> r.set(k, head + ConfigJson.write(ref), SetArgs.Builder.px(ttlMillis))).map(ref)
                        // The record is durably in Kafka: answering 503 now would only invite a second copy.
                        .recover(e -> {
                            LOG.warn("record {} is stored, but its idempotency record could not be kept: {}", k, e.getMessage());
                            return Future.succeededFuture(ref);
                        }),
                failure -> call(r -> r.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {k}, claim))
                        .transform(released -> Future.failedFuture(failure)));
    }

    private Future<QueueRef> existing(String scope, IdempotencyKey key, Supplier<Future<QueueRef>> write, long giveUpAt) {
        return call(r -> r.get(key(scope, key.value()))).compose(record -> {
            if (record == null) {
                // Released or expired since our claim failed: claim again.
                return once(scope, key, write, giveUpAt);
            }
            String[] parts = record.split("\n", 3);
            if (!parts[0].equals(key.fingerprint())) {
                return Future.failedFuture(IdempotencyRecord.conflict(key));
            }
            if (parts[2].equals(PENDING)) {
                if (System.currentTimeMillis() > giveUpAt) {
                    return Future.failedFuture(GatewayException.unavailable("a request with idempotency key '" + key.value()
                            + "' is still being written", null));
                }
                Promise<QueueRef> later = Promise.promise();
                vertx.setTimer(POLL_MILLIS, t -> existing(scope, key, write, giveUpAt).onComplete(later));
                return later.future();
            }
            QueueRef ref = parse(parts[2]);
            return Future.succeededFuture(key.attempt().equals(parts[1]) ? ref : ref.asDuplicate());
        });
    }

    @Override
    public Future<QueueRef> find(String scope, String keyValue) {
        return call(r -> r.get(key(scope, keyValue))).map(record -> {
            if (record == null) {
                return null;
            }
            String[] parts = record.split("\n", 3);
            return parts.length < 3 || parts[2].equals(PENDING) ? null : parse(parts[2]);
        });
    }

    private static QueueRef parse(String json) {
        try {
            return ConfigJson.MAPPER.readValue(json, QueueRef.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable idempotency record", e);
        }
    }

    private <T> Future<T> call(Function<RedisAsyncCommands<String, String>, CompletionStage<T>> command) {
        return RedisCalls.call(vertx, redis, "the idempotency Redis did not answer", command);
    }

    @Override
    public void close() {
        redis.close();
    }
}
