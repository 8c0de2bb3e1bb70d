package io.conduit.gateway.blob;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * One blob being written. Bytes go in with back-pressure ({@link #writeQueueFull()} and
 * {@link #drainHandler}); then exactly one of {@link #commit} (durable, placed, referenced) or
 * {@link #abort} (nothing remains).
 */
public interface BlobWriter {
    Future<Void> write(Buffer chunk);

    boolean writeQueueFull();

    void drainHandler(Handler<Void> handler);

    Future<BlobRef> commit(BlobDigest digest);

    Future<Void> abort();
}
