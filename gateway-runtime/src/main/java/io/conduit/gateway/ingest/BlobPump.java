package io.conduit.gateway.ingest;

import io.conduit.gateway.blob.BlobDigest;
import io.conduit.gateway.blob.BlobWriter;
import io.conduit.gateway.blob.Chunks;
import io.conduit.gateway.blob.MimeSniffer;
import io.conduit.gateway.edge.limits.BodyProgress;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
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
 * few chunks whatever the body size. It completes only once the source ended AND every write was
 * accepted by the writer, so a commit that follows never publishes bytes still in flight.
 */
final class BlobPump {
    private final ReadStream<Buffer> source;
    private final BlobWriter writer;
    private final long maxSize;
    private final MessageDigest sha256;
    private final String declaredMime;
    private final BodyProgress progress;
    private final Promise<BlobDigest> done = Promise.promise();
    private final byte[] head = new byte[MimeSniffer.BYTES_NEEDED];
    private int headLength;
    private long size;
    private int writesInFlight;
    private boolean sourceEnded;

    private BlobPump(ReadStream<Buffer> source, BlobWriter writer, long maxSize, boolean hash, String declaredMime,
                     BodyProgress progress) {
        this.source = source;
        this.writer = writer;
        this.maxSize = maxSize;
        this.declaredMime = declaredMime;
        this.progress = progress;
        try {
            this.sha256 = hash ? MessageDigest.getInstance("SHA-256") : null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Pumps {@code source} (paused or not) into {@code writer}. {@code cancelled} failing before the
     * source ended (the request broke, or ended without ending this part) fails the pump too, since a
     * multipart part's stream is not always told.
     */
    static Future<BlobDigest> pump(ReadStream<Buffer> source, BlobWriter writer, long maxSize, boolean hash,
                                   String declaredMime, Future<Void> cancelled, BodyProgress progress) {
        BlobPump pump = new BlobPump(source, writer, maxSize, hash, declaredMime, progress);
        cancelled.onFailure(e -> {
            if (!pump.sourceEnded) {
                pump.done.tryFail(e);
            }
        });
        return pump.start();
    }

    private Future<BlobDigest> start() {
        source.handler(this::onChunk);
        source.exceptionHandler(done::tryFail);
        source.endHandler(v -> {
            sourceEnded = true;
            completeWhenWritten();
        });
        source.resume();
        return done.future();
    }

    private void onChunk(Buffer chunk) {
        if (done.future().isComplete()) {
            return;
        }
        size += chunk.length();
        progress.add(chunk);
        if (size > maxSize) {
            source.pause();
            done.tryFail(new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE, "body exceeds the limit of " + maxSize + " bytes"));
            return;
        }
        if (sha256 != null) {
            sha256.update(Chunks.view(chunk));
        }
        if (headLength < head.length) {
            int n = Math.min(head.length - headLength, chunk.length());
            chunk.getBytes(0, n, head, headLength);
            headLength += n;
        }
        writesInFlight++;
        writer.write(chunk).onComplete(ar -> {
            writesInFlight--;
            if (ar.failed()) {
                done.tryFail(ar.cause());
            } else {
                completeWhenWritten();
            }
        });
        if (writer.writeQueueFull()) {
            source.pause();
            writer.drainHandler(v -> source.resume());
        }
    }

    private void completeWhenWritten() {
        if (!sourceEnded || writesInFlight > 0 || done.future().isComplete()) {
            return;
        }
        String mime = declaredMime;
        if (mime == null || mime.isBlank() || mime.equalsIgnoreCase(MimeSniffer.OCTET_STREAM)) {
            mime = MimeSniffer.sniff(Arrays.copyOf(head, headLength));
        }
        String hash = sha256 == null ? null : HexFormat.of().formatHex(sha256.digest());
        done.tryComplete(new BlobDigest(hash, size, mime));
    }
}
