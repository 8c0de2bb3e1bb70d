package io.conduit.gateway.queue.redis;

import io.conduit.gateway.queue.QueueSink;
import io.conduit.gateway.redis.RedisConnection;
import io.vertx.core.Vertx;

/**
 * What the Redis queue stores share: the backend's name, its key prefix, how long idempotency records
 * live, and the connection, which the store owns (closing the store closes it).
 */
abstract class RedisQueueSink implements QueueSink {
    final Vertx vertx;
    final String name;
    final String prefix;
    final long idempotencyTtlMillis;
    final RedisConnection redis;

    RedisQueueSink(Vertx vertx, String name, String prefix, long idempotencyTtlMillis, RedisConnection redis) {
        this.vertx = vertx;
        this.name = name;
        this.prefix = prefix;
        this.idempotencyTtlMillis = idempotencyTtlMillis;
        this.redis = redis;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void close() {
        redis.close();
    }
}
