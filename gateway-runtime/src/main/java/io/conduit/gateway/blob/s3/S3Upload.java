package io.conduit.gateway.blob.s3;

import io.conduit.gateway.blob.BlobDigest;
import io.conduit.gateway.blob.BlobMeta;
import io.conduit.gateway.blob.BlobRef;
import io.conduit.gateway.blob.BlobWriter;
import io.conduit.gateway.blob.Chunks;
import io.conduit.gateway.blob.MimeSniffer;
import io.conduit.gateway.errors.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * One blob streaming into S3. Bytes fill a part buffer; a full part is uploaded at once while the
 * next fills, and at most {@value #MAX_IN_FLIGHT} parts are in flight before the writer reports
 * itself full (the request is paused), so memory stays at about three parts whatever the body size.
 * A body that ends inside its first part goes up as one PutObject. The first {@value #SMALL_BYTES}
 * bytes are kept in a heap buffer of their own size and take no pooled part buffer, so a small file (or
 * a slow client's first bytes) never holds a whole part's memory; {@link #finish} uploads what a
 * finished file holds in part buffers and gives those back, so a multipart body's finished files wait for
 * its end holding only their small heap bytes. Nothing is visible under the final key until
 * {@link #commit}: CompleteMultipartUpload (and, content-addressed, the copy into place) succeeded.
 * {@link #abort} waits for parts in flight, then aborts the multipart upload and deletes any temporary
 * object.
 */
final class S3Upload implements BlobWriter {
    static final int MAX_IN_FLIGHT = 2;
    /** Bytes held on the heap before a pooled part buffer is taken. */
    static final int SMALL_BYTES = 64 << 10;

    private enum State { OPEN, COMMITTING, COMMITTED, FAILED }

    private final S3BlobSink sink;
    private final Context context;
    private final BlobMeta meta;
    private final String key;
    private final boolean byHash;
    private final int partSize;
    private final boolean checksum;
    private final MessageDigest partDigest;
    private final Map<Integer, CompletedPart> parts = new TreeMap<>();
    private final List<Future<?>> pending = new ArrayList<>();
    /** Part buffers whose upload finished, kept for this upload's next parts while nobody else waits for one. */
    private final ArrayDeque<ByteBuffer> spare = new ArrayDeque<>();
    private final PartMemory memory = PartMemory.SHARED;
    /** Bytes received while waiting for part memory, and the write that completes once they are in a part. */
    private Buffer stash;
    private Promise<Void> stashWritten;
    private PartMemory.Waiter waiter;
    /** The part filling; its position is the number of bytes in it. */
    private ByteBuffer part;
    /** The first bytes, while they fit in {@link #smallLimit}; moved into {@link #part} when more come. */
    private Buffer small;
    private final int smallLimit;
    /** Set by {@link #finish}: every byte is uploaded or in {@link #small}; part buffers go back as parts finish. */
    private boolean finished;
    /** Content-addressed, once finished: the bytes stored under the temporary key (commit then only places them). */
    private Future<Void> stored;
    private int nextPart = 1;
    private int inFlight;
    private String mime;
    private Future<String> uploadId;
    private Throwable failure;
    private Handler<Void> drain;
    private State state = State.OPEN;
    private Future<Void> cleanup;
    private boolean putDone;

    S3Upload(S3BlobSink sink, Context context, BlobMeta meta, String key, boolean byHash) {
        this.sink = sink;
        this.context = context;
        this.meta = meta;
        this.key = key;
        this.byHash = byHash;
        this.partSize = Math.toIntExact(sink.settings().partSize());
        this.smallLimit = Math.min(SMALL_BYTES, partSize);
        this.checksum = sink.settings().sendChecksum();
        try {
            this.partDigest = checksum ? MessageDigest.getInstance("SHA-256") : null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Future<Void> write(Buffer chunk) {
        if (failure != null) {
            return Future.failedFuture(failure);
        }
        if (state != State.OPEN) {
            return Future.failedFuture(new IllegalStateException("upload is no longer open"));
        }
        if (stash != null) {
            stash.appendBuffer(chunk);
            return stashWritten.future();
        }
        return fill(chunk);
    }

    private Future<Void> fill(Buffer chunk) {
        ByteBuffer bytes = Chunks.view(chunk);
        if (part == null && nextPart == 1 && (small == null ? 0 : small.length()) + bytes.remaining() <= smallLimit) {
            if (partDigest != null) {
                partDigest.update(bytes.duplicate());
            }
            if (small == null) {
                small = Buffer.buffer(bytes.remaining());
            }
            small.appendBuffer(chunk);
            return Future.succeededFuture();
        }
        while (bytes.hasRemaining()) {
            if (part == null) {
                try {
                    part = spare.isEmpty() ? memory.tryAcquire(partSize) : spare.pop();
                } catch (OutOfMemoryError e) {
                    return Future.failedFuture(noMemory(e));
                }
                if (part == null) {
                    return waitForMemory(chunk.getBuffer(bytes.position(), chunk.length()));
                }
                takeSmall();
            }
            ByteBuffer piece = bytes.slice(bytes.position(), Math.min(part.remaining(), bytes.remaining()));
            bytes.position(bytes.position() + piece.remaining());
            // Hashed from the request's own (heap) bytes, before the copy into the direct part buffer.
            if (partDigest != null) {
                partDigest.update(piece.duplicate());
            }
            part.put(piece);
            if (!part.hasRemaining()) {
                uploadPart();
            }
        }
        return Future.succeededFuture();
    }

    /** Moves the heap-held first bytes (already hashed) into the part buffer just taken; they always fit. */
    private void takeSmall() {
        if (small != null) {
            part.put(Chunks.view(small));
            small = null;
        }
    }

    /** The part memory is spent: hold the rest of this chunk, report full (the request pauses), go on when granted. */
    private Future<Void> waitForMemory(Buffer rest) {
        stash = rest;
        stashWritten = Promise.promise();
        waiter = memory.acquireLater(partSize, context, granted -> {
            waiter = null;
            if (state != State.OPEN) {
                memory.release(granted);
                return;
            }
            part = granted;
            takeSmall();
            Buffer bytes = stash;
            Promise<Void> written = stashWritten;
            stash = null;
            stashWritten = null;
            fill(bytes).onComplete(written);
            fireDrain();
        }, e -> {
            waiter = null;
            if (stashWritten != null) {
                stashWritten.tryFail(noMemory(e));
                stash = null;
                stashWritten = null;
            }
        });
        return stashWritten.future();
    }

    private static GatewayException noMemory(Throwable e) {
        return GatewayException.unavailable("no memory for S3 part buffers now; try again", e);
    }

    /** Gives back every part buffer; only once no part is in flight any more. */
    private void releaseMemory() {
        if (waiter != null) {
            waiter.cancel();
            waiter = null;
        }
        if (stashWritten != null) {
            stashWritten.tryFail(new IllegalStateException("upload ended while waiting for memory"));
            stash = null;
            stashWritten = null;
        }
        while (!spare.isEmpty()) {
            memory.release(spare.pop());
        }
        if (part != null) {
            memory.release(part);
            part = null;
        }
    }

    @Override
    public boolean writeQueueFull() {
        return (inFlight >= MAX_IN_FLIGHT || stash != null) && failure == null;
    }

    @Override
    public void drainHandler(Handler<Void> handler) {
        drain = handler;
    }

    private void fireDrain() {
        Handler<Void> h = drain;
        if (h != null && !writeQueueFull()) {
            drain = null;
            h.handle(null);
        }
    }

    /** Starts the multipart upload when the first part is full: its type is known from the first bytes by then. */
    private Future<String> uploadId(ByteBuffer head) {
        if (uploadId == null) {
            mime = mimeOf(meta.declaredMime(), head.duplicate());
            uploadId = S3BlobSink.call(context, sink.clients().client().createMultipartUpload(b -> {
                b.bucket(sink.bucket()).key(key).contentType(mime).metadata(metadata(null));
                if (checksum) {
                    b.checksumAlgorithm(ChecksumAlgorithm.SHA256);
                }
            })).map(r -> r.uploadId());
        }
        return uploadId;
    }

    /** Uploads the part filling, or the heap-held bytes when no part buffer was needed (a small form-encoded body). */
    private void uploadPart() {
        ByteBuffer buffer = part;
        ByteBuffer body = buffer != null ? buffer.duplicate().flip() : Chunks.view(small);
        Future<String> id = uploadId(body);
        int length = body.remaining();
        String sum = partDigest == null ? null : Base64.getEncoder().encodeToString(partDigest.digest());
        int number = nextPart++;
        part = null;
        small = null;
        inFlight++;
        Future<Void> upload = id.compose(uid -> S3BlobSink.call(context, sink.clients().client().uploadPart(b -> {
            b.bucket(sink.bucket()).key(key).uploadId(uid).partNumber(number).contentLength((long) length);
            if (sum != null) {
                b.checksumSHA256(sum);
            }
        }, AsyncRequestBody.fromByteBufferUnsafe(body)))).map(r -> {
            parts.put(number, CompletedPart.builder().partNumber(number).eTag(r.eTag()).checksumSHA256(sum).build());
            return null;
        });
        pending.add(upload);
        upload.onComplete(ar -> {
            // A failed call may still be sending the buffer (a timeout does not wait for the socket): never reuse it.
            // Others wait for memory, or this upload needs no more parts: give the buffer back now.
            // Heap-held bytes (buffer null) have nothing to give back.
            if (buffer != null && ar.failed()) {
                memory.discard(buffer);
            } else if (buffer != null && (memory.hasWaiters() || state != State.OPEN || finished)) {
                memory.release(buffer);
            } else if (buffer != null) {
                buffer.clear();
                spare.push(buffer);
            }
            inFlight--;
            if (ar.failed() && failure == null) {
                failure = ar.cause();
            }
            fireDrain();
        });
    }

    @Override
    public Future<BlobRef> commit(BlobDigest digest) {
        if (state != State.OPEN) {
            return Future.failedFuture(new IllegalStateException("upload already " + state));
        }
        if (byHash && digest.sha256() == null) {
            return abort().compose(v -> Future.failedFuture(new IllegalStateException(
                    "content-addressed blobs need their sha256 (computeHash)")));
        }
        state = State.COMMITTING;
        return store(digest)
                .compose(v -> place(digest))
                .compose(ref -> sink.presign(ref.key()).map(url -> url == null ? ref : S3BlobSink.withUrl(ref, url)))
                .map(ref -> {
                    state = State.COMMITTED;
                    releaseMemory();
                    return ref;
                })
                .recover(e -> {
                    state = State.FAILED;
                    return cleanup().transform(v -> Future.failedFuture(e));
                });
    }

    /** The bytes under {@link #key}: one PutObject, or the multipart upload completed; once only (finish may have begun it). */
    private Future<Void> store(BlobDigest digest) {
        if (stored == null) {
            stored = uploadId == null ? putWhole(digest) : completeMultipart();
        }
        return stored;
    }

    /**
     * The file's body ended before its request: content-addressed, the bytes go under the temporary key now (nothing
     * is visible by hash before commit places them). Template keys: whatever is in a part buffer goes up as the last
     * part; heap-held small bytes wait for commit's PutObject, since a PutObject would make them visible. Either way
     * no part buffer stays with this file.
     */
    @Override
    public Future<Void> finish(BlobDigest digest) {
        if (state != State.OPEN || finished) {
            return Future.succeededFuture();
        }
        finished = true;
        Future<Void> done;
        if (byHash && digest.sha256() != null) {
            done = store(digest);
        } else {
            if (part != null && (part.position() > 0 || uploadId == null)) {
                uploadPart();
            }
            done = Future.all(new ArrayList<>(pending)).transform(all -> failure != null || all.failed()
                    ? Future.<Void>failedFuture(failure != null ? failure : all.cause()) : Future.<Void>succeededFuture());
        }
        pending.add(done);
        return done.onComplete(ar -> {
            if (state == State.OPEN) {
                releaseMemory();
            }
        });
    }

    /**
     * A body smaller than one part: one PutObject, with the sha256 in metadata and as S3's checksum. Except a
     * form-encoded body: servlet-based stores (s3proxy on Jetty) read a PUT body of that type as form fields,
     * so its signature fails (403) and the bytes are consumed; a one-part multipart upload sends the type
     * with the (empty-bodied) create call and the bytes in an UploadPart, which carries no such type.
     */
    private Future<Void> putWhole(BlobDigest digest) {
        if ((part != null && part.position() > 0 || small != null && small.length() > 0) && isFormEncoded(digest.mime())) {
            return completeMultipart();
        }
        ByteBuffer buffer = part;
        ByteBuffer body = buffer != null ? buffer.duplicate().flip() : small != null ? Chunks.view(small) : ByteBuffer.allocate(0);
        int length = body.remaining();
        part = null;
        small = null;
        mime = digest.mime();
        String sum = checksum && digest.sha256() != null
                ? Base64.getEncoder().encodeToString(HexFormat.of().parseHex(digest.sha256())) : null;
        return S3BlobSink.call(context, sink.clients().client().putObject(b -> {
            b.bucket(sink.bucket()).key(key).contentType(mime).contentLength((long) length).metadata(metadata(digest.sha256()));
            if (sum != null) {
                b.checksumSHA256(sum);
            }
        }, AsyncRequestBody.fromByteBufferUnsafe(body))).<Void>map(r -> {
            putDone = true;
            return null;
        }).onComplete(ar -> {
            if (buffer != null && ar.succeeded()) {
                memory.release(buffer);
            } else if (buffer != null) {
                memory.discard(buffer);
            }
        });
    }

    private Future<Void> completeMultipart() {
        if (part != null && part.position() > 0 || small != null && small.length() > 0) {
            uploadPart();
        }
        return Future.all(new ArrayList<>(pending)).transform(all -> {
            if (failure != null || all.failed()) {
                return Future.failedFuture(failure != null ? failure : all.cause());
            }
            return uploadId.compose(uid -> S3BlobSink.call(context, sink.clients().client().completeMultipartUpload(b -> b
                    .bucket(sink.bucket()).key(key).uploadId(uid)
                    .multipartUpload(m -> m.parts(new ArrayList<>(parts.values())))))).map(r -> {
                        putDone = true;
                        return null;
                    });
        });
    }

    /**
     * Content-addressed: copy the temporary object to {@code sha256/ab/cd/<hash>} unless that exists
     * (the same bytes were stored before), then delete the temporary one. Template keys: the bytes
     * are in place; record the index so the blob can be found by id.
     */
    private Future<BlobRef> place(BlobDigest digest) {
        if (!byHash) {
            BlobRef ref = new BlobRef(meta.blobId(), S3BlobSink.BACKEND, sink.name(), digest.sha256(), digest.size(),
                    digest.mime(), sink.bucket(), key, null, null, meta.filename());
            return sink.writeIndex(ref, context).map(ref);
        }
        String hash = digest.sha256();
        String target = sink.hashKey(hash);
        var client = sink.clients().client();
        Future<Boolean> exists = S3BlobSink.call(context, client.headObject(b -> b.bucket(sink.bucket()).key(target)))
                .map(h -> h.contentLength() == digest.size())
                .recover(e -> S3BlobSink.isMissing(e) ? Future.succeededFuture(false) : Future.failedFuture(e));
        return exists.compose(stored -> stored ? Future.<Void>succeededFuture()
                        : S3BlobSink.call(context, client.copyObject(b -> b
                                .sourceBucket(sink.bucket()).sourceKey(key)
                                .destinationBucket(sink.bucket()).destinationKey(target)
                                .metadataDirective(MetadataDirective.REPLACE)
                                .contentType(digest.mime())
                                .metadata(metadata(hash)))).mapEmpty())
                .compose(v -> deleteTemporary())
                .map(v -> new BlobRef(hash, S3BlobSink.BACKEND, sink.name(), hash, digest.size(), digest.mime(),
                        sink.bucket(), target, null, null, meta.filename()));
    }

    private Future<Void> deleteTemporary() {
        return S3BlobSink.call(context, sink.clients().client().deleteObject(b -> b.bucket(sink.bucket()).key(key)))
                .map(r -> {
                    putDone = false;
                    return null;
                });
    }

    @Override
    public Future<Void> abort() {
        if (state == State.COMMITTED) {
            // Published and referenced already (a later part of the same request failed): like the local
            // store, a published blob stays; content-addressed ones may be shared with other uploads.
            return Future.succeededFuture();
        }
        if (state == State.OPEN) {
            state = State.FAILED;
        }
        return cleanup();
    }

    /** Once only: after parts in flight settle, abort the multipart upload and delete what was put under a temporary key. */
    private Future<Void> cleanup() {
        if (cleanup == null) {
            Future<Void> settled = Future.join(new ArrayList<>(pending)).transform(ar -> Future.<Void>succeededFuture());
            cleanup = settled.compose(v -> {
                releaseMemory();
                List<Future<?>> steps = new ArrayList<>();
                if (uploadId != null) {
                    steps.add(uploadId.transform(created -> created.failed()
                            ? recordUnknownUpload(created.cause())
                            : abortMultipart(created.result()).recover(e -> sink.abortLater(key, created.result())
                                    .transform(recorded -> Future.failedFuture(e)))));
                }
                if (putDone) {
                    steps.add(deleteTemporary());
                }
                return Future.join(steps).<Void>mapEmpty();
            });
        }
        return cleanup.recover(e -> Future.failedFuture(e instanceof GatewayException ? e
                : GatewayException.unavailable("could not clean up a failed S3 upload", e)));
    }

    private Future<Void> abortMultipart(String uid) {
        return S3BlobSink.call(context, sink.clients().client().abortMultipartUpload(b -> b
                .bucket(sink.bucket()).key(key).uploadId(uid))).<Void>mapEmpty()
                .recover(e -> S3BlobSink.isMissing(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    /**
     * The create call failed. Unless the store refused it, it may have started an upload whose answer was lost
     * (the store went down while answering): record the key, so the background abort finds it once the store is back.
     */
    private Future<Void> recordUnknownUpload(Throwable cause) {
        Future<Void> recorded = S3BlobSink.isRefusal(cause) ? Future.succeededFuture() : sink.abortLater(key, null);
        return recorded.transform(r -> Future.failedFuture(cause));
    }

    private Map<String, String> metadata(String sha256) {
        Map<String, String> m = new HashMap<>();
        m.put("blobid", meta.blobId());
        if (sha256 != null) {
            m.put("sha256", sha256);
        }
        if (meta.filename() != null) {
            m.put("filename", encodeMeta(meta.filename()));
        }
        return m;
    }

    /** S3 metadata values are US-ASCII: filenames go percent-encoded. */
    static String encodeMeta(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String decodeMeta(String value) {
        return value == null ? null : URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static boolean isFormEncoded(String mime) {
        return mime != null && mime.toLowerCase(Locale.ROOT).strip().startsWith("application/x-www-form-urlencoded");
    }

    private static String mimeOf(String declared, ByteBuffer head) {
        if (declared != null && !declared.isBlank() && !declared.equalsIgnoreCase(MimeSniffer.OCTET_STREAM)) {
            return declared;
        }
        byte[] first = new byte[Math.min(head.remaining(), MimeSniffer.BYTES_NEEDED)];
        head.get(first);
        return MimeSniffer.sniff(first);
    }
}
