package io.conduit.gateway.redis;

import io.conduit.gateway.errors.GatewayException;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Runs Lettuce calls for a Vert.x caller: the result comes back on the caller's context (Lettuce
 * completes on its own threads), and a failure that is not already a client error becomes a 503 the
 * request's retry and error handling understand.
 */
public final class RedisCalls {
    private RedisCalls() {
    }

    public static <T> Future<T> call(Vertx vertx, RedisConnection connection, String what,
                              Function<RedisAsyncCommands<String, String>, CompletionStage<T>> call) {
        CompletionStage<T> stage;
        try {
            stage = connection.commands().thenCompose(call);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return Future.fromCompletionStage(stage, vertx.getOrCreateContext())
                .recover(failure -> Future.failedFuture(translate(failure, what)));
    }

    public static Throwable translate(Throwable failure, String what) {
        Throwable cause = LuaScript.unwrap(failure);
        if (cause instanceof GatewayException) {
            return cause;
        }
        return GatewayException.unavailable(what, cause);
    }
}
