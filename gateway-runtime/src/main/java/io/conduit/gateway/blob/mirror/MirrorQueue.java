package io.conduit.gateway.blob.mirror;

import io.conduit.gateway.blob.BlobDigest;
import io.conduit.gateway.blob.BlobMeta;
import io.conduit.gateway.blob.BlobRef;
import io.conduit.gateway.blob.BlobSink;
import io.conduit.gateway.blob.CopyStream;
import io.conduit.gateway.blob.StoredBlob;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SyncD (seed 003): the durable queue of blob copies one backend owes its mirrors. Each pending copy
 * is one entry in a {@link MirrorSpool}, durable before the upload is answered, so a crash or restart
 * loses none; on start the spool is read back (and, for a spool shared by replicas, re-read now and
 * then for the entries of gateways that went away). A timer drains due entries: the blob is streamed
 * from the primary into each mirror still missing it, checked against its sha256, and the entry is
 * rewritten without that mirror, deleted once none is left. A failed entry waits with exponential
 * backoff and jitter. Copies are async streams.
 */
final class MirrorQueue {
    private static final Logger LOG = LoggerFactory.getLogger(MirrorQueue.class);
    static final long FIRST_BACKOFF_MILLIS = 500;
    static final long MAX_BACKOFF_MILLIS = 60_000;
    private static final long TICK_MILLIS = 250;
    private static final int MAX_COPIES_AT_ONCE = 4;

    private static final class Pending {
        volatile MirrorEntry entry;
        int attempts;
        long dueAt;
        boolean running;

        Pending(MirrorEntry entry) {
            this.entry = entry;
        }
    }

    private final Vertx vertx;
    private final Context context;
    private final String backend;
    private final MirrorSpool spool;
    private final MirrorSpool movedFrom;
    private final BlobSink primary;
    private final MirrorEvents events;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private volatile Map<String, BlobSink> mirrors = Map.of();
    private volatile boolean closed;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean scanning = new AtomicBoolean();
    private final AtomicInteger running = new AtomicInteger();
    private long tickTimer = -1;
    private long rescanTimer = -1;

    /**
     * A queue on {@code spool}; {@code movedFrom}, when not null, is where an earlier version kept this
     * backend's entries: they are moved into {@code spool} at start.
     */
    MirrorQueue(Vertx vertx, String backend, MirrorSpool spool, MirrorSpool movedFrom, BlobSink primary, MirrorEvents events) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.backend = backend;
        this.spool = spool;
        this.movedFrom = movedFrom;
        this.primary = primary;
        this.events = events;
        events.pending(backend, 0);
    }

    /**
     * The sinks mirror names resolve to now (they change with config reloads). Reading the spool and
     * copying start with the first call: before it, an entry's mirror would look unknown and its copy be dropped.
     */
    void useMirrors(Map<String, BlobSink> sinks) {
        this.mirrors = Map.copyOf(sinks);
        if (started.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                if (closed) {
                    return;
                }
                // Heartbeats and copies run from now on; a long first takeover must not hold them up.
                tickTimer = vertx.setPeriodic(TICK_MILLIS, id -> tick());
                rescanTimer = vertx.setPeriodic(spool.rescanMillis(), id -> {
                    if (!closed) {
                        spool.keepAlive().onComplete(beat -> rescan());
                    }
                });
                spool.keepAlive().onComplete(beat -> moveOver().onComplete(moved -> rescan()));
            });
        }
    }

    /** Entries an earlier version kept elsewhere come into the spool, each written here before it leaves there. */
    private Future<Void> moveOver() {
        if (movedFrom == null) {
            return Future.succeededFuture();
        }
        List<MirrorSpool.Held> old = new ArrayList<>();
        return movedFrom.adopt(Set.of(), old::add).compose(read -> {
            Future<Void> chain = Future.succeededFuture();
            for (MirrorSpool.Held h : old) {
                // Worked as soon as it is in the new spool; should the old file stay, the next start moves it
                // again, and a copy already made is not made twice.
                chain = chain.compose(v -> spool.add(h.entry())
                        .onSuccess(id -> track(id, h.entry()))
                        .compose(id -> movedFrom.remove(h.id()))
                        .recover(e -> {
                            LOG.warn("blob backend {}: cannot move mirror spool entry {} from its old spool: {}", backend,
                                    h.id(), e.getMessage());
                            return Future.succeededFuture();
                        }));
            }
            return chain;
        }).recover(e -> {
            LOG.warn("blob backend {}: cannot read its old mirror spool: {}", backend, e.getMessage());
            return Future.succeededFuture();
        });
    }

    /**
     * Takes on what the spool hands over: an earlier run's entries, or those of replicas that went away.
     * One pass at a time; entries are worked as soon as they are handed over.
     */
    private void rescan() {
        if (closed || !scanning.compareAndSet(false, true)) {
            return;
        }
        int[] resumed = {0};
        spool.adopt(pending.keySet(), h -> resumed[0] += track(h.id(), h.entry()) ? 1 : 0)
                .onFailure(e -> LOG.warn("blob backend {}: cannot read its mirror spool: {}", backend, e.getMessage()))
                .onComplete(done -> {
                    scanning.set(false);
                    if (resumed[0] > 0) {
                        LOG.info("blob backend {}: resuming {} pending mirror copies", backend, resumed[0]);
                    }
                });
    }

    /** Starts working an entry unless it already is; says whether it was new. */
    private boolean track(String id, MirrorEntry entry) {
        if (pending.putIfAbsent(id, new Pending(entry)) != null) {
            return false;
        }
        events.pending(backend, pending.size());
        return true;
    }

    /** Records that {@code ref} is owed to {@code targets}; completes once the record is durable. */
    Future<Void> enqueue(BlobRef ref, List<String> targets) {
        MirrorEntry entry = new MirrorEntry(ref.blobId(), ref.sha256(), ref.size(), ref.mime(), ref.filename(),
                List.copyOf(targets));
        return spool.add(entry).map(id -> {
            track(id, entry);
            return null;
        });
    }

    /** Whether a copy of {@code blobId} to {@code mirror} is still owed. */
    boolean owes(String blobId, String mirror) {
        return pending.values().stream().anyMatch(p -> p.entry.blobId().equals(blobId) && p.entry.mirrors().contains(mirror));
    }

    int size() {
        return pending.size();
    }

    private void tick() {
        long now = System.currentTimeMillis();
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            if (running.get() >= MAX_COPIES_AT_ONCE || closed) {
                return;
            }
            Pending p = e.getValue();
            if (!p.running && p.dueAt <= now) {
                p.running = true;
                running.incrementAndGet();
                // Through a future, so that a throw in drain ends this attempt rather than the slot for good.
                Future.<Void>succeededFuture().compose(v -> drain(e.getKey(), p)).onComplete(done -> {
                    running.decrementAndGet();
                    p.running = false;
                    if (done.succeeded()) {
                        pending.remove(e.getKey());
                        events.pending(backend, pending.size());
                    } else {
                        p.attempts++;
                        long wait = backoff(p.attempts);
                        p.dueAt = System.currentTimeMillis() + wait;
                        LOG.warn("blob backend {}: copy of {} to a mirror failed (attempt {}), next in {} ms: {}", backend,
                                p.entry.blobId(), p.attempts, wait, done.cause().getMessage());
                    }
                });
            }
        }
    }

    /** A refusal the same copy would meet again: the store's own (502) or the request's (4xx, e.g. a key or size the mirror refuses). */
    static boolean isPermanent(Throwable e) {
        return e instanceof GatewayException g && (g.code() == ErrorCode.BACKEND_REFUSED || g.code().status() < 500);
    }

    /** Exponential, capped, with jitter so entries that failed together do not retry together. */
    static long backoff(int attempts) {
        long ceiling = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(attempts - 1, 20));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    /** Copies to each mirror still missing the blob, shrinking the entry as they succeed; deletes it at the end. */
    private Future<Void> drain(String id, Pending p) {
        MirrorEntry entry = p.entry;
        if (entry.mirrors().isEmpty()) {
            return spool.remove(id);
        }
        String mirror = entry.mirrors().get(0);
        return copy(entry, mirror)
                .onComplete(r -> events.copied(backend, mirror, r.succeeded()))
                .recover(e -> {
                    if (!isPermanent(e)) {
                        return Future.failedFuture(e);
                    }
                    // Retrying cannot help (the mirror refuses the call or the key for good): set this copy aside.
                    LOG.error("blob backend {}: copy of blob {} to mirror {} set aside, not retried: the mirror refused it "
                            + "for good: {}", backend, entry.blobId(), mirror, e.getMessage());
                    events.setAside(backend, mirror);
                    return Future.succeededFuture();
                })
                .compose(v -> {
                    MirrorEntry rest = entry.without(mirror);
                    p.entry = rest;
                    return rest.mirrors().isEmpty() ? Future.<Void>succeededFuture() : spool.replace(id, rest);
                })
                .compose(v -> drain(id, p));
    }

    private Future<Void> copy(MirrorEntry entry, String mirrorName) {
        BlobSink mirror = mirrors.get(mirrorName);
        if (mirror == null) {
            LOG.warn("blob backend {}: {} is no longer one of its mirrors; blob {} is not copied there", backend,
                    mirrorName, entry.blobId());
            return Future.succeededFuture();
        }
        return has(mirror, entry).compose(there -> there ? Future.succeededFuture()
                : primary.find(entry.blobId()).compose(found -> {
                    if (found.isEmpty()) {
                        LOG.warn("blob backend {}: blob {} is gone from it; nothing to copy to {}", backend, entry.blobId(),
                                mirrorName);
                        return Future.succeededFuture();
                    }
                    return copy(found.get(), entry, mirror);
                }));
    }

    private Future<Void> copy(StoredBlob source, MirrorEntry entry, BlobSink mirror) {
        BlobMeta meta = new BlobMeta(entry.blobId(), entry.filename(), entry.mime(), null, null);
        return mirror.open(meta).compose(writer -> {
            CopyStream stream = new CopyStream(writer);
            return source.copyTo(stream).compose(v -> {
                String sha = stream.sha256();
                if (stream.size() != entry.size() || (entry.sha256() != null && !entry.sha256().equals(sha))) {
                    return Future.failedFuture(new IllegalStateException("the bytes read back differ from the stored blob ("
                            + stream.size() + " bytes, sha256 " + sha + ")"));
                }
                return writer.commit(new BlobDigest(sha, stream.size(), entry.mime()));
            }).recover(e -> writer.abort().transform(ignored -> Future.failedFuture(e))).mapEmpty();
        });
    }

    /** A copy made before a crash (or by an earlier attempt) is not made again. */
    static Future<Boolean> has(BlobSink mirror, MirrorEntry entry) {
        return find(mirror, entry.blobId(), entry.sha256())
                .map(found -> found.filter(b -> entry.sha256() == null || entry.sha256().equals(b.ref().sha256())).isPresent());
    }

    /** A mirror keeps the blob under its id, or under its hash when it is content-addressed. */
    static Future<Optional<StoredBlob>> find(BlobSink mirror, String blobId, String sha256) {
        return mirror.find(blobId).compose(found -> found.isPresent() || sha256 == null || sha256.equals(blobId)
                ? Future.succeededFuture(found) : mirror.find(sha256));
    }

    /** Stops copying and lets go of the spool's entries (they stay there for the next run); completes once let go. */
    Future<Void> close() {
        closed = true;
        context.runOnContext(v -> {
            vertx.cancelTimer(tickTimer);
            vertx.cancelTimer(rescanTimer);
        });
        return spool.release();
    }
}
