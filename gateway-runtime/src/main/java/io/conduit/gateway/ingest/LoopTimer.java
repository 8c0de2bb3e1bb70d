package io.conduit.gateway.ingest;

import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A timer of one request: set as the request starts and, almost always, cancelled as it ends.
 * Vert.x's own timers also register each one in a shared map and as a close hook of the context,
 * which for two timers per request was a visible share of a queued request's cost; on an event loop
 * this goes to Netty's scheduler directly and runs the task on the caller's context, as a Vert.x
 * timer would. Elsewhere (a worker context) it is a plain Vert.x timer.
 */
public final class LoopTimer {
    private final Vertx vertx;
    private final ScheduledFuture<?> scheduled;
    private final long timerId;

    private LoopTimer(Vertx vertx, ScheduledFuture<?> scheduled, long timerId) {
        this.vertx = vertx;
        this.scheduled = scheduled;
        this.timerId = timerId;
    }

    /** Runs {@code task} once after {@code delayMillis}, unless cancelled first. */
    public static LoopTimer once(Vertx vertx, long delayMillis, Runnable task) {
        ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
        long delay = Math.max(1, delayMillis);
        if (!context.isEventLoopContext()) {
            return new LoopTimer(vertx, null, vertx.setTimer(delay, id -> task.run()));
        }
        return new LoopTimer(vertx, context.nettyEventLoop().schedule(() -> context.dispatch(task), delay,
                TimeUnit.MILLISECONDS), -1);
    }

    /** Runs {@code task} every {@code periodMillis}, first after one period, until cancelled. */
    public static LoopTimer every(Vertx vertx, long periodMillis, Runnable task) {
        ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
        long period = Math.max(1, periodMillis);
        if (!context.isEventLoopContext()) {
            return new LoopTimer(vertx, null, vertx.setPeriodic(period, id -> task.run()));
        }
        return new LoopTimer(vertx, context.nettyEventLoop().scheduleAtFixedRate(() -> context.dispatch(task), period, period,
                TimeUnit.MILLISECONDS), -1);
    }

    public void cancel() {
        if (scheduled != null) {
            scheduled.cancel(false);
        } else {
            vertx.cancelTimer(timerId);
        }
    }
}
