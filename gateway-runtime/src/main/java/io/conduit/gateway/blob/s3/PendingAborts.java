package io.conduit.gateway.blob.s3;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.conduit.config.ConfigJson;
import io.conduit.gateway.storage.DurableFiles;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Multipart uploads of one S3 backend that failed and could not be aborted (the store was down): each is a small
 * JSON file in the gateway's data folder, forced to disk, so a restarted gateway (or the backend rebuilt by a
 * reload) goes on aborting it. A sweep every {@value #SWEEP_MILLIS} ms tries each one; a file is deleted once its
 * upload is aborted or gone. An upload whose id never reached us (the store went down while answering the create
 * call) is found by listing the uploads under its key started before it was recorded.
 */
final class PendingAborts {
    static final long SWEEP_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(PendingAborts.class);

    /** {@code uploadId} is null when the create call failed and an upload may still have been started. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(String bucket, String key, String uploadId, long recordedAt) {
    }

    private final Vertx vertx;
    private final S3BlobSink sink;
    private final Path folder;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile boolean closed;
    private final long timer;

    PendingAborts(Vertx vertx, S3BlobSink sink, Path folder) {
        this.vertx = vertx;
        this.sink = sink;
        this.folder = folder;
        this.timer = vertx.setPeriodic(1, SWEEP_MILLIS, t -> sweep());
    }

    /** Records an upload to abort; completes once the record is on disk. */
    Future<Void> add(String key, String uploadId) {
        Entry entry = new Entry(sink.bucket(), key, uploadId, System.currentTimeMillis());
        return vertx.executeBlocking(() -> {
            Files.createDirectories(folder);
            Path file = folder.resolve(fileName(entry));
            if (!Files.exists(file)) {
                Path part = folder.resolve(file.getFileName() + ".part");
                Files.deleteIfExists(part);
                DurableFiles.writeNew(part, ConfigJson.write(entry).getBytes(StandardCharsets.UTF_8));
                Files.move(part, file);
                DurableFiles.syncFolder(folder);
            }
            return null;
        }, false);
    }

    private static String fileName(Entry entry) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((entry.bucket() + "\n" + entry.key() + "\n"
                    + (entry.uploadId() == null ? "?" + entry.recordedAt() : entry.uploadId())).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16) + ".json";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void sweep() {
        if (closed || !sweeping.compareAndSet(false, true)) {
            return;
        }
        vertx.executeBlocking(this::read, false)
                .compose(entries -> {
                    Future<Void> chain = Future.succeededFuture();
                    for (Held h : entries) {
                        chain = chain.compose(v -> closed ? Future.succeededFuture() : abort(h.entry())
                                .compose(done -> vertx.executeBlocking(() -> Files.deleteIfExists(h.file()), false))
                                .onSuccess(deleted -> LOG.info("aborted multipart upload {} of s3://{}/{} left by a failed upload",
                                        h.entry().uploadId() == null ? "(id unknown)" : h.entry().uploadId(), h.entry().bucket(),
                                        h.entry().key()))
                                .<Void>mapEmpty()
                                .recover(e -> Future.succeededFuture()));
                    }
                    return chain;
                })
                .onFailure(e -> LOG.warn("cannot read the pending multipart aborts in {}: {}", folder, e.getMessage()))
                .onComplete(done -> sweeping.set(false));
    }

    private record Held(Path file, Entry entry) {
    }

    private List<Held> read() throws IOException {
        List<Held> held = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return held;
        }
        try (var files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!f.getFileName().toString().endsWith(".json")) {
                    continue;
                }
                try {
                    held.add(new Held(f, ConfigJson.MAPPER.readValue(f.toFile(), Entry.class)));
                } catch (IOException unreadable) {
                    LOG.warn("pending multipart abort {} is unreadable, left as it is: {}", f, unreadable.getMessage());
                }
            }
        }
        return held;
    }

    /** Aborts the upload (or, id unknown, every upload under its key started before the record); gone counts as done. */
    private Future<Void> abort(Entry entry) {
        var client = sink.clients().client();
        Context context = vertx.getOrCreateContext();
        if (entry.uploadId() != null) {
            return abortOne(context, entry.bucket(), entry.key(), entry.uploadId());
        }
        return S3BlobSink.call(context, client.listMultipartUploads(b -> b.bucket(entry.bucket()).prefix(entry.key())))
                .compose(list -> {
                    List<Future<Void>> aborts = new ArrayList<>();
                    for (MultipartUpload u : list.uploads()) {
                        if (u.key().equals(entry.key()) && u.initiated().toEpochMilli() <= entry.recordedAt()) {
                            aborts.add(abortOne(context, entry.bucket(), u.key(), u.uploadId()));
                        }
                    }
                    return Future.all(aborts).<Void>mapEmpty();
                });
    }

    private Future<Void> abortOne(Context context, String bucket, String key, String uploadId) {
        return S3BlobSink.call(context, sink.clients().client().abortMultipartUpload(b -> b.bucket(bucket).key(key)
                        .uploadId(uploadId))).<Void>mapEmpty()
                .recover(e -> S3BlobSink.isMissing(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    void close() {
        closed = true;
        vertx.cancelTimer(timer);
    }
}
