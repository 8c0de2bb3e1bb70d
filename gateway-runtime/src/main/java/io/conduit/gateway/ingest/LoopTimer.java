package io.conduit.gateway.ingest;

import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A timer of one request, on the caller's event loop: set as the request starts and, almost always,
 * cancelled as it ends. Vert.x's own timers also register each one in a shared map and as a close
 * hook of the context, which for two timers per request was a visible share of a queued request's
 * cost; this goes to Netty's scheduler directly. The task runs on the caller's context, as a
 * Vert.x timer's would.
 */
public final class LoopTimer {
    private final ScheduledFuture<?> scheduled;

    private LoopTimer(ScheduledFuture<?> scheduled) {
        this.scheduled = scheduled;
    }

    /** Runs {@code task} once after {@code delayMillis}, unless cancelled first. */
    public static LoopTimer once(Vertx vertx, long delayMillis, Runnable task) {
        ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
        return new LoopTimer(context.nettyEventLoop().schedule(() -> context.dispatch(task), Math.max(1, delayMillis),
                TimeUnit.MILLISECONDS));
    }

    /** Runs {@code task} every {@code periodMillis}, first after one period, until cancelled. */
    public static LoopTimer every(Vertx vertx, long periodMillis, Runnable task) {
        ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
        long period = Math.max(1, periodMillis);
        return new LoopTimer(context.nettyEventLoop().scheduleAtFixedRate(() -> context.dispatch(task), period, period,
                TimeUnit.MILLISECONDS));
    }

    public void cancel() {
        scheduled.cancel(false);
    }
}
