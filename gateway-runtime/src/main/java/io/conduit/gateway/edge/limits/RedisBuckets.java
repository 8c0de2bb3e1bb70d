package io.conduit.gateway.edge.limits;

import io.conduit.gateway.redis.LuaScript;
import io.conduit.gateway.redis.RedisConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Token buckets shared by every replica through Redis: one atomic script takes a token, with Redis's
 * own clock, so replicas with skewed clocks still agree on one bucket.
 */
public final class RedisBuckets {
    private static final LuaScript TAKE = LuaScript.of("rate-limit-take", """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local rate = tonumber(ARGV[1])
            local burst = tonumber(ARGV[2])
            local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
            local tokens = tonumber(b[1])
            local ts = tonumber(b[2])
            if tokens == nil or ts == nil then
              tokens = burst
              ts = now
            end
            tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
            local allowed = 0
            local retry = 0
            if tokens >= 1 then
              tokens = tokens - 1
              allowed = 1
            else
              retry = math.ceil((1 - tokens) * 1000 / rate)
            end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
            redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
            local reset = math.ceil((burst - tokens) * 1000 / rate)
            return {allowed, math.floor(tokens), retry, reset}
            """);

    private final Vertx vertx;
    private final RedisConnection redis;

    public RedisBuckets(Vertx vertx, RedisConnection redis) {
        this.vertx = vertx;
        this.redis = redis;
    }

    public Future<Decision> take(String key, double rate, long burst) {
        var stage = redis.commands().thenCompose(c -> TAKE.run(c, List.of(key), List.of(Double.toString(rate),
                Long.toString(burst))));
        return Future.fromCompletionStage(stage, vertx.getOrCreateContext()).map(reply -> {
            boolean allowed = ((Long) reply.get(0)) == 1L;
            long retryMillis = (Long) reply.get(2);
            long resetMillis = (Long) reply.get(3);
            return new Decision(allowed, burst, (Long) reply.get(1), (resetMillis + 999) / 1000,
                    allowed ? 0 : Math.max(1, (retryMillis + 999) / 1000));
        });
    }

    public void close() {
        redis.close();
    }
}
