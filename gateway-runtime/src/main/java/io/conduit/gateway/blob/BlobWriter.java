package io.conduit.gateway.blob;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * One blob being written. Bytes go in with back-pressure ({@link #writeQueueFull()} and
 * {@link #drainHandler}); then exactly one of {@link #commit} (durable, placed, referenced) or
 * {@link #abort} (nothing remains). A writer whose body ended while others of the same request are still
 * arriving is {@link #finish finished} first, so it holds no pooled buffer or descriptor while it waits.
 */
public interface BlobWriter {
    Future<Void> write(Buffer chunk);

    boolean writeQueueFull();

    void drainHandler(Handler<Void> handler);

    /**
     * The body ended, but the request has more to come: store what can be stored ahead of {@link #commit} and give
     * back what the writer holds (part buffers, descriptors), publishing nothing. Then commit or abort follows.
     */
    default Future<Void> finish(BlobDigest digest) {
        return Future.succeededFuture();
    }

    Future<BlobRef> commit(BlobDigest digest);

    Future<Void> abort();
}
