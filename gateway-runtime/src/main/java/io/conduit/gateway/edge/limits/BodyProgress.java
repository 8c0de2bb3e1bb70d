package io.conduit.gateway.edge.limits;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Body bytes a request has delivered so far, read by the request-timeout check: a client must keep
 * the body moving at a minimum rate, so a slowloris trickle cannot hold a request open forever,
 * while a large upload at a sane speed may take as long as it needs. Event-loop confined.
 */
public final class BodyProgress {
    private long bytes;
    private Handler<Throwable> onCancel = e -> { };
    private Throwable cancelled;
    private Handler<Buffer> tap;
    private Handler<Buffer> rawTap;

    public void add(long n) {
        bytes += n;
    }

    /** A chunk of the body as it is read: counted, and shown to the tap (the request recorder) if there is one. */
    public void add(Buffer chunk) {
        bytes += chunk.length();
        if (tap != null) {
            tap.handle(chunk);
        }
    }

    /** Sees every body chunk read from here on (the chunks must not be changed). */
    public void tap(Handler<Buffer> tap) {
        this.tap = tap;
    }

    /**
     * A chunk of a body that is counted elsewhere as it is decoded (a multipart body: its file parts go
     * through {@link #add}): the raw bytes, framing included, shown to the raw tap only.
     */
    public void raw(Buffer chunk) {
        if (rawTap != null) {
            rawTap.handle(chunk);
        }
    }

    /** Sees every raw chunk of a body decoded apart from its framing (see {@link #raw}). */
    public void tapRaw(Handler<Buffer> tap) {
        this.rawTap = tap;
    }

    public long bytes() {
        return bytes;
    }

    /** Who stops reading the body when the request is given up on (the one place that answers). */
    public void onCancel(Handler<Throwable> handler) {
        onCancel = handler;
        if (cancelled != null) {
            handler.handle(cancelled);
        }
    }

    /** Gives the request up: the body reader fails with {@code reason}, which becomes the answer. */
    public void cancel(Throwable reason) {
        if (cancelled == null) {
            cancelled = reason;
            onCancel.handle(reason);
        }
    }
}
