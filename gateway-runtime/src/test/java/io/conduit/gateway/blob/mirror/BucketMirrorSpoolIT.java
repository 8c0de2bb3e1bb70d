package io.conduit.gateway.blob.mirror;

import io.conduit.gateway.blob.s3.S3BlobSink;
import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.api.v1alpha1.BlobBackendSpec;
import io.conduit.config.BlobBackendConfig;
import io.conduit.testsupport.S3Server;
import io.conduit.testsupport.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 primary's mirror spool against a real S3 server: two spools on one bucket stand for two
 * replicas (or a pod and its replacement). Entries outlive their writer; a replica takes over another's
 * entries when that one let go, or when its heartbeat is older than the lease, and not before.
 */
@Timeout(60)
class BucketMirrorSpoolIT {
    static final Duration LONG_LEASE = Duration.ofMinutes(5);
    static final Duration SHORT_LEASE = Duration.ofMillis(2000);

    Vertx vertx;
    S3BlobSink bucket;
    final MirrorEntry entry = new MirrorEntry("blob-1", "ab".repeat(32), 42, "text/plain", "a.txt", List.of("archive", "dr"));

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        S3Server server = TestServers.s3();
        String name = "spool-" + UUID.randomUUID().toString().substring(0, 12);
        BlobBackendConfig config = new BlobBackendConfig("store", BlobBackendSpec.Type.S3, null,
                new BlobBackendConfig.S3(name, server.region(), server.endpoint().toString(), true, "team-a/", null,
                        5 << 20, false),
                null, false, 0, null, false, List.of("archive", "dr"));
        bucket = new S3BlobSink(vertx, config, Map.of("accessKeyId", server.accessKey(), "secretAccessKey",
                server.secretKey()), Duration.ofSeconds(20));
        bucket.clients().client().createBucket(b -> b.bucket(name)).join();
    }

    @AfterEach
    void stop() throws Exception {
        S3AsyncClient s3 = bucket.clients().client();
        keys().forEach(k -> s3.deleteObject(b -> b.bucket(bucket.bucket()).key(k)).join());
        s3.deleteBucket(b -> b.bucket(bucket.bucket())).join();
        bucket.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.await(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer from the S3 server within 20 s", e);
        }
    }

    /** One takeover pass: what {@code spool} is handed, when it holds {@code held}. */
    private static List<MirrorSpool.Held> adopt(BucketMirrorSpool spool, Set<String> held) {
        List<MirrorSpool.Held> taken = new ArrayList<>();
        await(spool.adopt(held, taken::add));
        return taken;
    }

    private static List<MirrorSpool.Held> adopt(BucketMirrorSpool spool) {
        return adopt(spool, Set.of());
    }

    private List<String> keys() {
        return bucket.clients().client().listObjectsV2(b -> b.bucket(bucket.bucket())).join().contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    private String entryKey(BucketMirrorSpool owner, String id) {
        return "team-a/.conduit/mirror-spool/store/entries/" + owner.owner() + "/" + id;
    }

    @Test
    void entriesOfAReplicaThatLetGoAreTakenOverWholeByTheNext() {
        BucketMirrorSpool old = new BucketMirrorSpool(bucket, LONG_LEASE);
        await(old.keepAlive());
        String id = await(old.add(entry));
        String second = await(old.add(entry));
        MirrorEntry shrunk = entry.without("archive");
        await(old.replace(second, shrunk));
        assertThat(keys()).contains(entryKey(old, id), entryKey(old, second),
                "team-a/.conduit/mirror-spool/store/owners/" + old.owner());

        BucketMirrorSpool next = new BucketMirrorSpool(bucket, LONG_LEASE);
        await(next.keepAlive());
        assertThat(adopt(next)).as("the writer still beats: its entries stay its own").isEmpty();

        await(old.release());
        List<MirrorSpool.Held> taken = adopt(next);

        assertThat(taken).containsExactlyInAnyOrder(new MirrorSpool.Held(id, entry), new MirrorSpool.Held(second, shrunk));
        assertThat(keys()).contains(entryKey(next, id), entryKey(next, second))
                .noneMatch(k -> k.contains(old.owner()));
        assertThat(adopt(next, Set.of(id, second))).as("taken once: nothing new once it holds them").isEmpty();

        await(next.remove(id));
        await(next.remove(second));
        assertThat(keys()).containsExactly("team-a/.conduit/mirror-spool/store/owners/" + next.owner());
    }

    @Test
    void aReplicaThatStoppedBeatingIsTakenOverOnlyOnceItsHeartbeatIsOlderThanTheLease() throws Exception {
        BucketMirrorSpool survivor = new BucketMirrorSpool(bucket, SHORT_LEASE);
        await(survivor.keepAlive());
        // The survivor has beaten for a whole lease: from now on only the dead one's age holds it back.
        Thread.sleep(SHORT_LEASE.toMillis() + 200);
        await(survivor.keepAlive());
        BucketMirrorSpool crashed = new BucketMirrorSpool(bucket, SHORT_LEASE);
        await(crashed.keepAlive());
        long lastBeat = System.nanoTime();
        String id = await(crashed.add(entry));
        // No release: the pod died.

        long end = lastBeat + SHORT_LEASE.toNanos() + TimeUnit.SECONDS.toNanos(20);
        List<MirrorSpool.Held> taken = List.of();
        while (taken.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(SHORT_LEASE.toMillis() / 8);
            await(survivor.keepAlive());
            taken = adopt(survivor);
        }
        long age = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastBeat);

        assertThat(taken).containsExactly(new MirrorSpool.Held(id, entry));
        // Less a little: the store stamped the heartbeat before its PUT returned here.
        assertThat(age).as("taken over %d ms after the last heartbeat", age)
                .isGreaterThanOrEqualTo(SHORT_LEASE.toMillis() - 250);
        assertThat(keys()).contains(entryKey(survivor, id)).noneMatch(k -> k.contains(crashed.owner()));
    }

    @Test
    void aFreshReplicaDoesNotJudgeOthersStaleBeforeItHasBeatenForALease() throws Exception {
        BucketMirrorSpool crashed = new BucketMirrorSpool(bucket, SHORT_LEASE);
        await(crashed.keepAlive());
        await(crashed.add(entry));
        Thread.sleep(SHORT_LEASE.toMillis() + 1200);
        // Its heartbeat is older than the lease now, but a replica that just (re)gained the store cannot tell
        // a dead owner from one that could not beat either.
        BucketMirrorSpool fresh = new BucketMirrorSpool(bucket, SHORT_LEASE);
        await(fresh.keepAlive());
        assertThat(adopt(fresh)).isEmpty();
    }

    @Test
    void ownEntriesTheQueueDoesNotHoldAreHandedOverAgain() {
        BucketMirrorSpool spool = new BucketMirrorSpool(bucket, LONG_LEASE);
        String id = await(spool.add(entry));

        assertThat(adopt(spool, Set.of(id))).as("held already").isEmpty();
        assertThat(adopt(spool, Set.of())).containsExactly(new MirrorSpool.Held(id, entry));
    }

    @Test
    void anUnreadableEntryIsSetAsideAndTheRestAreTakenOver() {
        BucketMirrorSpool old = new BucketMirrorSpool(bucket, LONG_LEASE);
        String id = await(old.add(entry));
        String junk = "team-a/.conduit/mirror-spool/store/entries/" + old.owner() + "/0-junk.json";
        bucket.clients().client().putObject(b -> b.bucket(bucket.bucket()).key(junk), AsyncRequestBody.fromString("{not json"))
                .join();
        String empty = "team-a/.conduit/mirror-spool/store/entries/" + old.owner() + "/1-empty.json";
        bucket.clients().client().putObject(b -> b.bucket(bucket.bucket()).key(empty), AsyncRequestBody.fromString("{}"))
                .join();
        await(old.release());

        BucketMirrorSpool next = new BucketMirrorSpool(bucket, LONG_LEASE);
        await(next.keepAlive());

        assertThat(adopt(next)).containsExactly(new MirrorSpool.Held(id, entry));
        assertThat(keys()).contains("team-a/.conduit/mirror-spool/store/unreadable/entries/" + old.owner() + "/0-junk.json",
                        "team-a/.conduit/mirror-spool/store/unreadable/entries/" + old.owner() + "/1-empty.json")
                .doesNotContain(junk, empty);
    }

    @Test
    void aReplicaThatKeepsBeatingKeepsItsEntries() throws Exception {
        BucketMirrorSpool busy = new BucketMirrorSpool(bucket, SHORT_LEASE);
        BucketMirrorSpool other = new BucketMirrorSpool(bucket, SHORT_LEASE);
        await(busy.keepAlive());
        String id = await(busy.add(entry));

        for (int i = 0; i < 12; i++) {
            Thread.sleep(SHORT_LEASE.toMillis() / 4);
            await(busy.keepAlive());
            await(other.keepAlive());
            assertThat(adopt(other)).as("after %d beats", i).isEmpty();
        }
        assertThat(keys()).contains(entryKey(busy, id));
    }
}
