package io.conduit.gateway.blob;

import io.vertx.core.Context;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The JVM-wide pool of S3 part buffers, under one byte budget. Each upload holds up to three parts,
 * so without a cap a burst of concurrent uploads would take the memory; with it, an upload that finds
 * the budget spent waits (its request paused, TCP back-pressure to the client) until another upload
 * gives a part back. A part in flight always finishes or fails, so waiters always get their turn
 * (first come, first served).
 * <p>
 * Buffers are direct and reused: the SDK's Netty client writes them to the socket without another
 * copy, and they stay out of the heap, where an 8 MiB array is a humongous object that G1 handles
 * expensively. A buffer is never freed by hand: one given back may still be read by a request that
 * already failed, so unused ones are left to the garbage collector.
 */
final class PartMemory {
    /** Half the max heap by default (direct memory defaults to the heap's size); {@code -Dconduit.s3.partMemory=<bytes>} sets it. */
    static final PartMemory SHARED = new PartMemory(Long.getLong("conduit.s3.partMemory", Runtime.getRuntime().maxMemory() / 2));

    private final long budget;
    /** Bytes of buffers handed out and not given back. */
    private long reserved;
    /** Bytes of buffers given back and kept for reuse. */
    private long pooled;
    private final Map<Integer, ArrayDeque<ByteBuffer>> free = new HashMap<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    PartMemory(long budget) {
        this.budget = budget;
    }

    /** A wait for a buffer; {@link #cancel} when the upload ends first. */
    final class Waiter {
        private final int size;
        private final Context context;
        private final Consumer<ByteBuffer> granted;

        private Waiter(int size, Context context, Consumer<ByteBuffer> granted) {
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

    /** An empty buffer of {@code size} bytes now, if the budget allows and nobody is waiting before us; else null. */
    synchronized ByteBuffer tryAcquire(int size) {
        return waiters.isEmpty() && fits(size) ? take(size) : null;
    }

    /** A buffer of {@code size} bytes as soon as one is free, handed to {@code granted} on {@code context}. */
    synchronized Waiter acquireLater(int size, Context context, Consumer<ByteBuffer> granted) {
        Waiter w = new Waiter(size, context, granted);
        waiters.add(w);
        grantWaiting();
        return w;
    }

    synchronized boolean hasWaiters() {
        return !waiters.isEmpty();
    }

    /** Gives a buffer back for reuse (its contents are dropped). */
    synchronized void release(ByteBuffer buffer) {
        int size = buffer.capacity();
        reserved -= size;
        buffer.clear();
        free.computeIfAbsent(size, s -> new ArrayDeque<>()).push(buffer);
        pooled += size;
        grantWaiting();
    }

    synchronized long reserved() {
        return reserved;
    }

    /** A part larger than the whole budget still gets through, alone. */
    private boolean fits(long size) {
        return reserved + size <= budget || reserved == 0;
    }

    private ByteBuffer take(int size) {
        reserved += size;
        ArrayDeque<ByteBuffer> same = free.get(size);
        if (same != null && !same.isEmpty()) {
            pooled -= size;
            return same.pop();
        }
        // Kept buffers of other sizes (another backend's partSize) make room first.
        for (Iterator<ArrayDeque<ByteBuffer>> it = free.values().iterator(); it.hasNext() && reserved + pooled > budget; ) {
            ArrayDeque<ByteBuffer> other = it.next();
            while (!other.isEmpty() && reserved + pooled > budget) {
                pooled -= other.pop().capacity();
            }
        }
        return ByteBuffer.allocateDirect(size);
    }

    private void grantWaiting() {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (!fits(w.size)) {
                return;
            }
            it.remove();
            ByteBuffer buffer = take(w.size);
            w.context.runOnContext(v -> w.granted.accept(buffer));
        }
    }
}
