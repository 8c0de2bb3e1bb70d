package io.conduit.gateway.ingest;

import io.conduit.gateway.errors.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Retries a backend call on transient failure with exponential backoff and full jitter, never past
 * the request's deadline. Failures the client caused ({@link GatewayException} below 500) are final.
 */
final class Retry {
    static final int ATTEMPTS = 4;
    static final long BASE_DELAY_MILLIS = 50;

    private Retry() {
    }

    static <T> Future<T> withBackoff(Vertx vertx, long deadlineMillis, Supplier<Future<T>> call) {
        return withBackoff(vertx, deadlineMillis, call, () -> { });
    }

    /** As above; {@code onRetry} runs before each repeat (the retry metric). */
    static <T> Future<T> withBackoff(Vertx vertx, long deadlineMillis, Supplier<Future<T>> call, Runnable onRetry) {
        Promise<T> result = Promise.promise();
        // A backend that hangs must not hang the request: at the deadline the answer is 503, whatever is in flight.
        LoopTimer timer = LoopTimer.once(vertx, deadlineMillis - System.currentTimeMillis(), () -> result.tryFail(
                GatewayException.unavailable("the backend did not answer within the request timeout", null)));
        attempt(vertx, deadlineMillis, call, 1, result, onRetry);
        return result.future().onComplete(ar -> timer.cancel());
    }

    private static <T> void attempt(Vertx vertx, long deadline, Supplier<Future<T>> call, int n, Promise<T> result,
                                    Runnable onRetry) {
        if (result.future().isComplete()) {
            return; // the deadline answered 503 while this attempt waited for its timer: nothing more is sent
        }
        Future<T> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        f.onSuccess(result::tryComplete).onFailure(e -> {
            long delay = ThreadLocalRandom.current().nextLong(BASE_DELAY_MILLIS << (n - 1)) + 1;
            boolean clientFault = e instanceof GatewayException g && g.code().status() < 500;
            if (clientFault || n >= ATTEMPTS || System.currentTimeMillis() + delay > deadline) {
                result.tryFail(e);
                return;
            }
            if (!result.future().isComplete()) {
                onRetry.run();
                vertx.setTimer(delay, t -> attempt(vertx, deadline, call, n + 1, result, onRetry));
            }
        });
    }
}
