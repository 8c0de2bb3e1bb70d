package io.conduit.gateway.blob;

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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SyncD (seed 003): the durable queue of blob copies one backend owes its mirrors. Each pending copy
 * is one small JSON file in a spool folder, forced to disk before the upload is answered, so a crash
 * or restart loses none; on start the folder is read back. A timer drains due entries: the blob is
 * streamed from the primary into each mirror still missing it, checked against its sha256, and the
 * entry is rewritten without that mirror, deleted once none is left. A failed entry waits with
 * exponential backoff and jitter. File work runs on worker threads; copies are async streams.
 */
final class MirrorQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MirrorQueue.class);
    static final long FIRST_BACKOFF_MILLIS = 500;
    static final long MAX_BACKOFF_MILLIS = 60_000;
    private static final long TICK_MILLIS = 250;
    private static final int MAX_COPIES_AT_ONCE = 4;

    /** One pending copy as stored in its spool file. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(String blobId, String sha256, long size, String mime, String filename, List<String> mirrors) {
        Entry without(String mirror) {
            List<String> rest = new ArrayList<>(mirrors);
            rest.remove(mirror);
            return new Entry(blobId, sha256, size, mime, filename, List.copyOf(rest));
        }
    }

    private static final class Pending {
        volatile Entry entry;
        int attempts;
        long dueAt;
        boolean running;

        Pending(Entry entry) {
            this.entry = entry;
        }
    }

    private final Vertx vertx;
    private final Context context;
    private final String backend;
    private final Path dir;
    private final BlobSink primary;
    private final MirrorEvents events;
    private final Map<Path, Pending> pending = new ConcurrentHashMap<>();
    private volatile Map<String, BlobSink> mirrors = Map.of();
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
    private long timer = -1;

    /** Reads back what a previous run left in {@code dir}. Blocking: call it off the event loop. */
    MirrorQueue(Vertx vertx, String backend, Path dir, BlobSink primary, MirrorEvents events) throws IOException {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.backend = backend;
        this.dir = dir.toAbsolutePath().normalize();
        this.primary = primary;
        this.events = events;
        Files.createDirectories(this.dir);
        try (var files = Files.list(this.dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".part")) {
                    Files.deleteIfExists(f); // never published: its upload was not answered 2xx
                } else if (name.endsWith(".json")) {
                    pending.put(f, new Pending(ConfigJson.MAPPER.readValue(f.toFile(), Entry.class)));
                }
            }
        }
        if (!pending.isEmpty()) {
            LOG.info("blob backend {}: resuming {} pending mirror copies from {}", backend, pending.size(), this.dir);
        }
        events.pending(backend, pending.size());
    }

    /**
     * The sinks mirror names resolve to now (they change with config reloads). Copying starts with the
     * first call: before it, an entry's mirror would look unknown and its copy be dropped.
     */
    void useMirrors(Map<String, BlobSink> sinks) {
        this.mirrors = Map.copyOf(sinks);
        if (started.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                if (!closed) {
                    timer = vertx.setPeriodic(TICK_MILLIS, id -> tick());
                }
            });
        }
    }

    /** Records that {@code ref} is owed to {@code targets}; completes once the record is on disk. */
    Future<Void> enqueue(BlobRef ref, List<String> targets) {
        Entry entry = new Entry(ref.blobId(), ref.sha256(), ref.size(), ref.mime(), ref.filename(), List.copyOf(targets));
        return vertx.executeBlocking(() -> {
            Path file = dir.resolve(System.currentTimeMillis() + "-" + UUID.randomUUID() + ".json");
            publish(file, entry);
            return file;
        }, false).map(file -> {
            pending.put(file, new Pending(entry));
            events.pending(backend, pending.size());
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

    /** Writes beside, forces to disk, renames into place: a reader sees the old entry or the new, whole. */
    private void publish(Path file, Entry entry) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".part");
        try {
            DurableFiles.writeNew(part, ConfigJson.write(entry).getBytes(StandardCharsets.UTF_8));
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
        DurableFiles.syncFolder(dir);
    }

    private void tick() {
        long now = System.currentTimeMillis();
        for (Map.Entry<Path, Pending> e : pending.entrySet()) {
            if (running.get() >= MAX_COPIES_AT_ONCE || closed) {
                return;
            }
            Pending p = e.getValue();
            if (!p.running && p.dueAt <= now) {
                p.running = true;
                running.incrementAndGet();
                drain(e.getKey(), p).onComplete(done -> {
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

    /** Exponential, capped, with jitter so entries that failed together do not retry together. */
    static long backoff(int attempts) {
        long ceiling = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(attempts - 1, 20));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    /** Copies to each mirror still missing the blob, shrinking the entry as they succeed; deletes it at the end. */
    private Future<Void> drain(Path file, Pending p) {
        Entry entry = p.entry;
        if (entry.mirrors().isEmpty()) {
            return vertx.executeBlocking(() -> Files.deleteIfExists(file), false).mapEmpty();
        }
        String mirror = entry.mirrors().get(0);
        return copy(entry, mirror)
                .onComplete(r -> events.copied(backend, mirror, r.succeeded()))
                .compose(v -> {
                    Entry rest = entry.without(mirror);
                    p.entry = rest;
                    return rest.mirrors().isEmpty() ? Future.<Void>succeededFuture()
                            : vertx.executeBlocking(() -> {
                                publish(file, rest);
                                return null;
                            }, false).mapEmpty();
                })
                .compose(v -> drain(file, p));
    }

    private Future<Void> copy(Entry entry, String mirrorName) {
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

    private Future<Void> copy(StoredBlob source, Entry entry, BlobSink mirror) {
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
    static Future<Boolean> has(BlobSink mirror, Entry entry) {
        return find(mirror, entry.blobId(), entry.sha256())
                .map(found -> found.filter(b -> entry.sha256() == null || entry.sha256().equals(b.ref().sha256())).isPresent());
    }

    /** A mirror keeps the blob under its id, or under its hash when it is content-addressed. */
    static Future<Optional<StoredBlob>> find(BlobSink mirror, String blobId, String sha256) {
        return mirror.find(blobId).compose(found -> found.isPresent() || sha256 == null || sha256.equals(blobId)
                ? Future.succeededFuture(found) : mirror.find(sha256));
    }

    @Override
    public void close() {
        closed = true;
        context.runOnContext(v -> {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        });
    }
}
