package io.conduit.gateway.blob.mirror;

import io.vertx.core.Future;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where a {@link MirrorQueue} keeps the copies it owes, durably: each entry is written before the
 * upload is answered. A folder beside a local backend's blobs, or the S3 primary's own bucket.
 */
interface MirrorSpool {
    /** An entry this queue now holds, under the id the spool knows it by. */
    record Held(String id, MirrorEntry entry) {
    }

    /**
     * Hands over, each as soon as it is taken, the entries this queue should work and does not hold yet
     * ({@code held}: the ids it holds): at start, what an earlier run left; later, what another queue
     * of this process wrote (a reload that rebuilt the backend) and, for a spool other gateways share,
     * the entries of gateways that stopped. An entry that cannot be taken now is logged and left for a
     * later call; one that cannot be parsed is set aside. The future fails only when the spool cannot
     * be read at all.
     */
    Future<Void> adopt(Set<String> held, Consumer<Held> take);

    /** How often {@link #adopt} and {@link #keepAlive()} are worth calling again. */
    long rescanMillis();

    /** Tells gateways sharing the spool that this one still works its entries. */
    Future<Void> keepAlive();

    /** Stores a new entry; completes once it is durable. */
    Future<String> add(MirrorEntry entry);

    /** Replaces an entry whole: a reader sees the old one or the new. */
    Future<Void> replace(String id, MirrorEntry entry);

    Future<Void> remove(String id);

    /** Lets go of this gateway's entries (they stay, for the next one to adopt). */
    Future<Void> release();
}
