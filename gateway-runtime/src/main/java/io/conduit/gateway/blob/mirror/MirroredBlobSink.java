package io.conduit.gateway.blob.mirror;

import io.conduit.gateway.blob.BlobDigest;
import io.conduit.gateway.blob.BlobLocation;
import io.conduit.gateway.blob.BlobMeta;
import io.conduit.gateway.blob.BlobRef;
import io.conduit.gateway.blob.BlobSink;
import io.conduit.gateway.blob.BlobWriter;
import io.conduit.gateway.blob.StoredBlob;
import io.conduit.gateway.blob.s3.S3BlobSink;
import io.conduit.gateway.errors.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A backend with {@code mirrors}: writes and reads go to the primary, which alone decides the answer;
 * each committed blob is recorded in the {@link MirrorQueue} before the client hears of it, and copied
 * to the mirrors afterwards. Copies go into the mirrors' own stores, never through their mirrors, so
 * two backends mirroring each other cannot copy back and forth.
 */
public final class MirroredBlobSink implements BlobSink {
    private final BlobSink primary;
    private final List<String> mirrorNames;
    private final MirrorQueue queue;
    private volatile Map<String, BlobSink> mirrors = Map.of();

    /**
     * A local primary keeps its spool in {@code folder}, beside its blobs. An S3 primary keeps it in its
     * own bucket, shared by all replicas and outliving any pod ({@code lease}: how long a replica's
     * heartbeat may go unrenewed before the others take over its copies); entries an earlier version
     * left in {@code folder} are moved there.
     */
    public MirroredBlobSink(Vertx vertx, BlobSink primary, List<String> mirrorNames, Path folder, Duration lease,
            MirrorEvents events) throws IOException {
        this.primary = primary;
        this.mirrorNames = List.copyOf(mirrorNames);
        MirrorSpool spool;
        MirrorSpool movedFrom = null;
        if (primary instanceof S3BlobSink bucket) {
            spool = new BucketMirrorSpool(bucket, lease);
            if (FolderMirrorSpool.holdsEntries(folder)) {
                movedFrom = new FolderMirrorSpool(vertx, folder);
            }
        } else {
            spool = new FolderMirrorSpool(vertx, folder);
        }
        this.queue = new MirrorQueue(vertx, primary.name(), spool, movedFrom, primary, events);
    }

    /** The backend's own store, without mirroring. */
    public BlobSink primary() {
        return primary;
    }

    public List<String> mirrorNames() {
        return mirrorNames;
    }

    /** The mirrors' own stores by name, as the config serving now has them. */
    public void useMirrors(Map<String, BlobSink> sinks) {
        this.mirrors = Map.copyOf(sinks);
        queue.useMirrors(sinks);
    }

    /** Copies still owed, across all blobs. */
    public int pendingCopies() {
        return queue.size();
    }

    @Override
    public String name() {
        return primary.name();
    }

    @Override
    public Future<BlobWriter> open(BlobMeta meta) {
        return primary.open(meta).map(Writer::new);
    }

    @Override
    public Future<Optional<StoredBlob>> find(String blobId) {
        return primary.find(blobId);
    }

    /** The primary, then each mirror: not synced while a copy is owed, or when the mirror does not have it. */
    @Override
    public Future<List<BlobLocation>> locations(BlobRef ref) {
        List<Future<BlobLocation>> all = new ArrayList<>();
        all.add(Future.succeededFuture(new BlobLocation(name(), true)));
        for (String m : mirrorNames) {
            BlobSink sink = mirrors.get(m);
            if (sink == null || queue.owes(ref.blobId(), m)) {
                all.add(Future.succeededFuture(new BlobLocation(m, false)));
            } else {
                // An unreachable mirror cannot show the copy: not synced, as far as anyone can tell.
                all.add(MirrorQueue.find(sink, ref.blobId(), ref.sha256())
                        .map(found -> new BlobLocation(m, found.isPresent()))
                        .otherwise(new BlobLocation(m, false)));
            }
        }
        return Future.all(all).map(done -> all.stream().map(Future::result).toList());
    }

    @Override
    public void close() {
        // An S3 primary's spool lets go through the primary's own client: close that after.
        queue.close().onComplete(released -> primary.close());
    }

    /** Commits to the primary, then records the copies owed before the commit counts as done. */
    private final class Writer implements BlobWriter {
        private final BlobWriter inner;

        Writer(BlobWriter inner) {
            this.inner = inner;
        }

        @Override
        public Future<Void> write(Buffer chunk) {
            return inner.write(chunk);
        }

        @Override
        public boolean writeQueueFull() {
            return inner.writeQueueFull();
        }

        @Override
        public void drainHandler(Handler<Void> handler) {
            inner.drainHandler(handler);
        }

        @Override
        public Future<Void> finish(BlobDigest digest) {
            return inner.finish(digest);
        }

        @Override
        public Future<BlobRef> commit(BlobDigest digest) {
            // The blob stays in the primary; without the record its copies would be lost, so no 2xx.
            return inner.commit(digest).compose(ref -> queue.enqueue(ref, mirrorNames)
                    .recover(e -> Future.failedFuture(GatewayException.unavailable(
                            "cannot record the mirror copies of blob " + ref.blobId() + ": " + e.getMessage(), e)))
                    .map(ref));
        }

        @Override
        public Future<Void> abort() {
            return inner.abort();
        }
    }
}
