package io.conduit.gateway.blob;

import io.vertx.core.Context;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The JVM-wide budget for S3 part buffers. Each upload holds up to three parts, so without a cap a
 * burst of concurrent uploads would take the heap; with it, an upload that finds the budget spent
 * waits (its request paused, TCP back-pressure to the client) until another upload's part is done.
 * A part in flight always finishes or fails, so waiters always get their turn (first come, first served).
 */
final class PartMemory {
    /** Half the heap by default; {@code -Dconduit.s3.partMemory=<bytes>} sets it. */
    static final PartMemory SHARED = new PartMemory(Long.getLong("conduit.s3.partMemory", Runtime.getRuntime().maxMemory() / 2));

    private final long budget;
    private long reserved;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    PartMemory(long budget) {
        this.budget = budget;
    }

    /** A wait for memory; {@link #cancel} when the upload ends first. */
    final class Waiter {
        private final long size;
        private final Context context;
        private final Runnable granted;

        private Waiter(long size, Context context, Runnable granted) {
            this.size = size;
            this.context = context;
            this.granted = granted;
        }

        void cancel() {
            synchronized (PartMemory.this) {
                waiters.remove(this);
            }
        }
    }

    /** Reserves {@code size} bytes now if the budget allows and nobody is waiting before us. */
    synchronized boolean tryReserve(long size) {
        if (waiters.isEmpty() && fits(size)) {
            reserved += size;
            return true;
        }
        return false;
    }

    /** Reserves {@code size} bytes as soon as they are free, then runs {@code granted} on {@code context}. */
    synchronized Waiter reserveLater(long size, Context context, Runnable granted) {
        Waiter w = new Waiter(size, context, granted);
        waiters.add(w);
        grantWaiting();
        return w;
    }

    synchronized boolean hasWaiters() {
        return !waiters.isEmpty();
    }

    void release(long size) {
        if (size <= 0) {
            return;
        }
        synchronized (this) {
            reserved -= size;
            grantWaiting();
        }
    }

    synchronized long reserved() {
        return reserved;
    }

    /** A part larger than the whole budget still gets through, alone. */
    private boolean fits(long size) {
        return reserved + size <= budget || reserved == 0;
    }

    private void grantWaiting() {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (!fits(w.size)) {
                return;
            }
            it.remove();
            reserved += w.size;
            w.context.runOnContext(v -> w.granted.run());
        }
    }
}
