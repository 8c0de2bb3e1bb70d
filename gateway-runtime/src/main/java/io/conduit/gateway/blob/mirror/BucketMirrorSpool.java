package io.conduit.gateway.blob.mirror;

import io.conduit.config.ConfigJson;
import io.conduit.gateway.blob.s3.S3BlobSink;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The spool of an S3 primary, kept in its own bucket so that it outlives the pod: under the operator a
 * rollout replaces every pod, and with them any folder they had. All replicas of a gateway share it,
 * under {@code <prefix>.conduit/mirror-spool/<backend>/}:
 * <ul>
 *   <li>{@code owners/<owner>}: a heartbeat, rewritten by each running queue every quarter lease;</li>
 *   <li>{@code entries/<owner>/<id>.json}: the copies that owner works.</li>
 * </ul>
 * A queue adopts the entries of an owner whose heartbeat is gone (it stopped and let go) or older
 * than the lease (it died): it writes each under its own name and deletes the old. Ages are measured
 * against this queue's own fresh heartbeat, so they are all the store's clock. A queue adopts from
 * stale owners only after a whole lease of heartbeats of its own, so an outage of the store, which
 * stales every heartbeat, does not make everyone take everyone's work. Queues adopting the same entry
 * at once copy it more than once at worst: a copy already in the mirror is not made again.
 */
final class BucketMirrorSpool implements MirrorSpool {
    private static final Logger LOG = LoggerFactory.getLogger(BucketMirrorSpool.class);
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(3);

    private final S3BlobSink bucket;
    private final Context context;
    private final Duration lease;
    private final String root;
    private final String owner;
    private volatile Long healthySince;
    private volatile Future<Void> lastBeat = Future.succeededFuture();
    private volatile boolean released;

    BucketMirrorSpool(S3BlobSink bucket, Duration lease) {
        this.bucket = bucket;
        this.context = bucket.vertx().getOrCreateContext();
        this.lease = lease;
        this.root = bucket.internalKey("mirror-spool/" + bucket.name() + "/");
        this.owner = ownerName();
    }

    /** The host (the pod's name under the operator) and a random part: one per run. */
    private static String ownerName() {
        // HOSTNAME first: a pod's name, with no name lookup that a broken resolver could hold up.
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "gateway";
            }
        }
        String clean = host.replaceAll("[^A-Za-z0-9.-]", "-");
        return (clean.isEmpty() ? "gateway" : clean) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String owner() {
        return owner;
    }

    private String heartbeatKey(String who) {
        return root + "owners/" + who;
    }

    private String entryKey(String who, String id) {
        return root + "entries/" + who + "/" + id;
    }

    private S3AsyncClient s3() {
        return bucket.clients().client();
    }

    @Override
    public long rescanMillis() {
        return lease.toMillis() / 4;
    }

    /** Renews the heartbeat; after {@link #release()}, does nothing, so a late one cannot bring it back. */
    @Override
    public synchronized Future<Void> keepAlive() {
        if (released) {
            return Future.succeededFuture();
        }
        String body = "{\"owner\":\"" + owner + "\"}";
        Future<Void> beat = S3BlobSink.call(context, s3().putObject(b -> b.bucket(bucket.bucket()).key(heartbeatKey(owner))
                        .contentType("application/json"), AsyncRequestBody.fromString(body)))
                .onSuccess(r -> {
                    if (healthySince == null) {
                        healthySince = System.nanoTime();
                    }
                })
                .onFailure(e -> healthySince = null)
                .mapEmpty();
        lastBeat = beat;
        return beat;
    }

    @Override
    public Future<Void> adopt(Set<String> held, Consumer<Held> take) {
        // Entries before heartbeats: an owner that starts between the two listings is seen with its heartbeat.
        return list("entries/", true).compose(owners -> list("owners/", false).compose(beats -> {
            Map<String, Instant> heartbeats = new HashMap<>();
            beats.objects().forEach(o -> heartbeats.put(o.key().substring((root + "owners/").length()), o.lastModified()));
            Instant now = heartbeats.get(owner);
            Long since = healthySince;
            boolean judgeStale = now != null && since != null && System.nanoTime() - since >= lease.toNanos();
            Set<String> dead = new LinkedHashSet<>();
            for (String who : owners.folders()) {
                Instant beat = heartbeats.get(who);
                if (!who.equals(owner) && (beat == null || (judgeStale && stale(beat, now)))) {
                    dead.add(who);
                }
            }
            if (judgeStale) {
                // Heartbeats of stale owners with nothing left to take are cleared too.
                heartbeats.forEach((who, beat) -> {
                    if (!who.equals(owner) && stale(beat, now)) {
                        dead.add(who);
                    }
                });
            }
            // This queue's own entries that it does not hold: taken by an earlier pass that did not finish.
            Future<Void> chain = owners.folders().contains(owner) ? takeOwn(held, take) : Future.succeededFuture();
            for (String who : dead) {
                chain = chain.compose(v -> takeFrom(who, take).recover(e -> {
                    LOG.warn("blob backend {}: cannot take over the mirror copies owed by {} yet: {}", bucket.name(), who,
                            e.getMessage());
                    return Future.succeededFuture();
                }));
            }
            return chain;
        }));
    }

    private boolean stale(Instant beat, Instant now) {
        return Duration.between(beat, now).compareTo(lease) > 0;
    }

    /** This queue's own entries that it does not hold: handed over in place. */
    private Future<Void> takeOwn(Set<String> held, Consumer<Held> take) {
        return eachEntry(owner, id -> !held.contains(id), (id, entry) -> {
            take.accept(new Held(id, entry));
            return Future.succeededFuture();
        });
    }

    /** Moves each of {@code who}'s entries under this queue's name (written here, then deleted there). */
    private Future<Void> takeFrom(String who, Consumer<Held> take) {
        int[] taken = {0};
        return eachEntry(who, id -> true, (id, entry) -> write(entryKey(owner, id), entry)
                .compose(w -> delete(entryKey(who, id)))
                .onSuccess(d -> {
                    taken[0]++;
                    take.accept(new Held(id, entry));
                })).compose(v -> delete(heartbeatKey(who))).onSuccess(v -> {
                    if (taken[0] > 0) {
                        LOG.info("blob backend {}: took over {} mirror copies owed by {}", bucket.name(), taken[0], who);
                    }
                });
    }

    /**
     * Reads {@code who}'s entries one after the other ({@code wanted} says which, by id) and hands each
     * to {@code then}; an entry gone meanwhile is passed over, one that fails is skipped.
     */
    private Future<Void> eachEntry(String who, Predicate<String> wanted, BiFunction<String, MirrorEntry, Future<Void>> then) {
        String folder = "entries/" + who + "/";
        return list(folder, false).compose(found -> {
            Future<Void> chain = Future.succeededFuture();
            for (S3Object o : found.objects()) {
                String id = o.key().substring((root + folder).length());
                // An empty name or one ending in "/": a folder marker some consoles create.
                if (!id.isEmpty() && !id.endsWith("/") && wanted.test(id)) {
                    chain = chain.compose(v -> read(o.key())
                            .compose(entry -> entry == null ? Future.<Void>succeededFuture() : then.apply(id, entry))
                            .recover(e -> skip(o.key(), e)));
                }
            }
            return chain;
        });
    }

    /** One entry that cannot be taken now does not hold up the rest; an unreadable one is set aside for good. */
    private Future<Void> skip(String key, Throwable e) {
        if (!(e instanceof UnreadableEntry)) {
            LOG.warn("blob backend {}: cannot take mirror spool entry {} now: {}", bucket.name(), key, e.getMessage());
            return Future.succeededFuture();
        }
        String aside = root + "unreadable/" + key.substring(root.length());
        LOG.warn("blob backend {}: mirror spool entry {} is unreadable, set aside as {}: {}", bucket.name(), key, aside,
                e.getMessage());
        return S3BlobSink.call(context, s3().copyObject(b -> b.sourceBucket(bucket.bucket()).sourceKey(key)
                        .destinationBucket(bucket.bucket()).destinationKey(aside)))
                .compose(c -> delete(key))
                .recover(failed -> Future.succeededFuture());
    }

    private static final class UnreadableEntry extends RuntimeException {
        UnreadableEntry(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The entry at {@code key}, or null when another queue took it first. */
    private Future<MirrorEntry> read(String key) {
        return S3BlobSink.call(context, s3().getObject(b -> b.bucket(bucket.bucket()).key(key),
                        AsyncResponseTransformer.toBytes()))
                .map(bytes -> {
                    MirrorEntry entry;
                    try {
                        entry = ConfigJson.MAPPER.readValue(bytes.asByteArray(), MirrorEntry.class);
                    } catch (IOException e) {
                        throw new UnreadableEntry(e.getMessage(), e);
                    }
                    if (!MirrorEntry.isComplete(entry)) {
                        throw new UnreadableEntry("it names no blob or no mirrors", null);
                    }
                    return entry;
                })
                .recover(e -> S3BlobSink.isMissing(e) ? Future.succeededFuture(null) : Future.failedFuture(e));
    }

    private Future<Void> write(String key, MirrorEntry entry) {
        byte[] bytes = ConfigJson.write(entry).getBytes(StandardCharsets.UTF_8);
        return S3BlobSink.call(context, s3().putObject(b -> b.bucket(bucket.bucket()).key(key)
                .contentType("application/json"), AsyncRequestBody.fromBytes(bytes))).mapEmpty();
    }

    private Future<Void> delete(String key) {
        return S3BlobSink.call(context, s3().deleteObject(b -> b.bucket(bucket.bucket()).key(key))).mapEmpty();
    }

    private record Listing(List<S3Object> objects, List<String> folders) {
    }

    /** Every object under {@code root + under}, or with {@code folders}, the names of the folders there. */
    private Future<Listing> list(String under, boolean folders) {
        List<S3Object> objects = Collections.synchronizedList(new ArrayList<>());
        Set<String> names = Collections.synchronizedSet(new HashSet<>());
        String from = root + under;
        return S3BlobSink.call(context, s3().listObjectsV2Paginator(b -> {
            b.bucket(bucket.bucket()).prefix(from);
            if (folders) {
                b.delimiter("/");
            }
        }).subscribe(page -> {
            objects.addAll(page.contents());
            for (CommonPrefix p : page.commonPrefixes()) {
                String name = p.prefix().substring(from.length());
                names.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
            }
        })).map(v -> new Listing(List.copyOf(objects), List.copyOf(names)));
    }

    @Override
    public Future<String> add(MirrorEntry entry) {
        String id = System.currentTimeMillis() + "-" + UUID.randomUUID() + ".json";
        // Entries of an owner without a heartbeat are taken at once by any replica: beat before writing one.
        Future<Void> beating = healthySince != null ? Future.succeededFuture() : keepAlive();
        return beating.compose(v -> write(entryKey(owner, id), entry)).map(id);
    }

    @Override
    public Future<Void> replace(String id, MirrorEntry entry) {
        return write(entryKey(owner, id), entry);
    }

    @Override
    public Future<Void> remove(String id) {
        return delete(entryKey(owner, id));
    }

    /**
     * Clears the heartbeat, so the next queue to look (a replacement pod at its start) adopts this one's
     * entries at once instead of after a lease. Waited for, briefly, unless on an event loop.
     */
    @Override
    public Future<Void> release() {
        Future<Void> done;
        synchronized (this) {
            released = true;
            // After the last heartbeat PUT (none can start now), so that it cannot land after the delete.
            done = lastBeat.transform(beat -> delete(heartbeatKey(owner)));
        }
        if (!Context.isOnEventLoopThread()) {
            try {
                done.toCompletionStage().toCompletableFuture().get(RELEASE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.debug("blob backend {}: heartbeat not cleared on close: {}", bucket.name(), e.toString());
            }
        }
        return done;
    }
}
