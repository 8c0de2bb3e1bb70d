package io.conduit.gateway.blob;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;

/** Reading request chunks without copying them. */
public final class Chunks {
    private Chunks() {
    }

    /**
     * The chunk's bytes as a buffer of its own (position 0, limit its length) over the same memory:
     * digests and part buffers read it in place instead of through a fresh array per chunk.
     */
    public static ByteBuffer view(Buffer chunk) {
        return ((BufferInternal) chunk).getByteBuf().nioBuffer().slice();
    }
}
