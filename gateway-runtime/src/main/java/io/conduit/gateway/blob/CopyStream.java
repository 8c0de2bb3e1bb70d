package io.conduit.gateway.blob;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A {@link BlobWriter} seen as a Vert.x write stream, so a stored blob can be piped into another
 * backend; it hashes and counts what passes, so the copy is checked against the original's sha256.
 */
public final class CopyStream implements WriteStream<Buffer> {
    private final BlobWriter writer;
    private final MessageDigest sha256;
    private long size;

    public CopyStream(BlobWriter writer) {
        this.writer = writer;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Future<Void> write(Buffer data) {
        sha256.update(Chunks.view(data));
        size += data.length();
        return writer.write(data);
    }

    /** The writer is committed or aborted by the caller, once the hash is checked. */
    @Override
    public Future<Void> end() {
        return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return writer.writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        writer.drainHandler(handler);
        return this;
    }

    public String sha256() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    public long size() {
        return size;
    }
}
