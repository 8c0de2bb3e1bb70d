package io.conduit.gateway.blob.s3;

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
 * expensively. A buffer is never freed by hand, and one whose call failed is not reused (a timed-out
 * request may still be sending it): those are {@link #discard discarded} to the garbage collector.
 * The pool never holds more than the budget, buffers in use included; since that memory is outside the
 * heap, the default budget is a quarter of the heap's size, and the image leaves room for it.
 */
final class PartMemory {
    /** A quarter of the max heap by default, off-heap on top of it; {@code -Dconduit.s3.partMemory=<bytes>} sets it. */
    static final PartMemory SHARED = new PartMemory(Long.getLong("conduit.s3.partMemory", Runtime.getRuntime().maxMemory() / 4));

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
        private final Consumer<Throwable> failed;

        private Waiter(int size, Context context, Consumer<ByteBuffer> granted, Consumer<Throwable> failed) {
            this.size = size;
            this.context = context;
            this.granted = granted;
            this.failed = failed;
        }

        void cancel() {
            synchronized (PartMemory.this) {
                waiters.remove(this);
            }
        }
    }

    /**
     * An empty buffer of {@code size} bytes now, if the budget allows and nobody is waiting before us; else null.
     * @throws OutOfMemoryError when the JVM's direct memory is spent (nothing is reserved then)
     */
    synchronized ByteBuffer tryAcquire(int size) {
        return waiters.isEmpty() && fits(size) ? take(size) : null;
    }

    /**
     * A buffer of {@code size} bytes as soon as one is free, handed to {@code granted} on {@code context};
     * {@code failed} instead if the JVM cannot allocate it then.
     */
    synchronized Waiter acquireLater(int size, Context context, Consumer<ByteBuffer> granted, Consumer<Throwable> failed) {
        Waiter w = new Waiter(size, context, granted, failed);
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

    /** Gives a buffer's budget back but not the buffer: someone may still read it (a call that failed or timed out). */
    synchronized void discard(ByteBuffer buffer) {
        reserved -= buffer.capacity();
        grantWaiting();
    }

    synchronized long reserved() {
        return reserved;
    }

    /** A part larger than the whole budget still gets through, alone. */
    private boolean fits(long size) {
        return reserved + size <= budget || reserved == 0;
    }

    /** Reserves only once the buffer exists, so a failed allocation leaves the accounting as it was. */
    private ByteBuffer take(int size) {
        ArrayDeque<ByteBuffer> same = free.get(size);
        if (same != null && !same.isEmpty()) {
            pooled -= size;
            reserved += size;
            return same.pop();
        }
        // Kept buffers of other sizes (another backend's partSize) make room first.
        for (Iterator<ArrayDeque<ByteBuffer>> it = free.values().iterator(); it.hasNext() && reserved + size + pooled > budget; ) {
            ArrayDeque<ByteBuffer> other = it.next();
            while (!other.isEmpty() && reserved + size + pooled > budget) {
                pooled -= other.pop().capacity();
            }
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(size);
        reserved += size;
        return buffer;
    }

    /** Never throws: it runs from {@link #release}, on paths that must go on. */
    private void grantWaiting() {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (!fits(w.size)) {
                return;
            }
            it.remove();
            try {
                ByteBuffer buffer = take(w.size);
                w.context.runOnContext(v -> w.granted.accept(buffer));
            } catch (OutOfMemoryError e) {
                w.context.runOnContext(v -> w.failed.accept(e));
            }
        }
    }
}
