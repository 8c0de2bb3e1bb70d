package io.conduit.gateway.ingest;

import io.conduit.gateway.blob.BlobDigest;
import io.conduit.gateway.blob.BlobWriter;
import io.conduit.gateway.blob.MimeSniffer;
import io.conduit.gateway.edge.ErrorCode;
import io.conduit.gateway.edge.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Streams one body into a {@link BlobWriter}: sha256 and size computed on the fly, the size limit
 * enforced as bytes arrive, and the source paused whenever the writer is full, so memory stays at a
 * few chunks whatever the body size. {@code cancelled} failing (the request broke) fails the pump too,
 * since a multipart part's stream is not always told.
 */
final class BlobPump {
    private final ReadStream<Buffer> source;
    private final BlobWriter writer;
    private final long maxSize;
    private final MessageDigest sha256;
    private final String declaredMime;
    private final Promise<BlobDigest> done = Promise.promise();
    private final byte[] head = new byte[MimeSniffer.BYTES_NEEDED];
    private int headLength;
    private long size;

    private BlobPump(ReadStream<Buffer> source, BlobWriter writer, long maxSize, boolean hash, String declaredMime) {
        this.source = source;
        this.writer = writer;
        this.maxSize = maxSize;
        this.declaredMime = declaredMime;
        try {
            this.sha256 = hash ? MessageDigest.getInstance("SHA-256") : null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pumps {@code source} (paused or not) into {@code writer}; completes when the source ended and every write was accepted. */
    static Future<BlobDigest> pump(ReadStream<Buffer> source, BlobWriter writer, long maxSize, boolean hash, String declaredMime,
                                   Future<Void> cancelled) {
        BlobPump pump = new BlobPump(source, writer, maxSize, hash, declaredMime);
        cancelled.onFailure(pump.done::tryFail);
        return pump.start();
    }

    private Future<BlobDigest> start() {
        source.handler(this::onChunk);
        source.exceptionHandler(done::tryFail);
        source.endHandler(v -> onEnd());
        source.resume();
        return done.future();
    }

    private void onChunk(Buffer chunk) {
        if (done.future().isComplete()) {
            return;
        }
        size += chunk.length();
        if (size > maxSize) {
            source.pause();
            done.tryFail(new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE, "body exceeds the limit of " + maxSize + " bytes"));
            return;
        }
        byte[] bytes = chunk.getBytes();
        if (sha256 != null) {
            sha256.update(bytes);
        }
        if (headLength < head.length) {
            int n = Math.min(head.length - headLength, bytes.length);
            System.arraycopy(bytes, 0, head, headLength, n);
            headLength += n;
        }
        writer.write(chunk).onFailure(done::tryFail);
        if (writer.writeQueueFull()) {
            source.pause();
            writer.drainHandler(v -> source.resume());
        }
    }

    private void onEnd() {
        String mime = declaredMime;
        if (mime == null || mime.isBlank() || mime.equalsIgnoreCase(MimeSniffer.OCTET_STREAM)) {
            mime = MimeSniffer.sniff(Arrays.copyOf(head, headLength));
        }
        String hash = sha256 == null ? null : HexFormat.of().formatHex(sha256.digest());
        done.tryComplete(new BlobDigest(hash, size, mime));
    }
}
