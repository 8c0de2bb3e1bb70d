package io.conduit.gateway;

import static io.conduit.gateway.S3Fixture.randomBytes;
import static io.conduit.gateway.S3Fixture.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.gateway.config.SinkFactory;
import io.conduit.testsupport.Needs;
import io.conduit.testsupport.S3Server;
import io.conduit.testsupport.TestServers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mirroring (seed 003, SyncD) against real S3 servers: the mirror is an S3 server of this test's own,
 * stopped and started again; the primary answers alone, the copy follows once the mirror is back,
 * also across a gateway restart.
 */
@Timeout(180)
class MirrorIT {
    static final int PART = 5 << 20;
    static final Duration CATCH_UP = Duration.ofSeconds(60);

    @TempDir
    Path root;
    S3Server mirrorServer;
    S3Fixture mirror;
    final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() {
        mirrorServer = TestServers.newS3();
        Needs.require(mirrorServer.restartable(), "an S3 server this JVM can stop", Needs.ownServer(S3Server.ENV_VAR));
        mirror = new S3Fixture(mirrorServer);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        System.clearProperty(SinkFactory.DATA_DIR_PROPERTY);
        mirror.close();
        mirrorServer.close();
    }

    /** Local backend {@code primary} mirrored to S3 backend {@code archive}, uploads on POST /upload. */
    private String localPrimaryRules() {
        return """
                apiVersion: conduit.io/v1alpha1
                kind: BlobBackend
                metadata: {name: primary}
                spec:
                  type: local
                  local: {path: "%s"}
                  mirrorRefs: [{name: archive}]
                ---
                """.formatted(root.resolve("primary")) + mirror.backend("archive", "") + uploadRule("primary");
    }

    private static String uploadRule(String backend) {
        return """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: upload}
                spec:
                  when: {http: {method: POST, path: /upload}}
                  send:
                    blob: {backendRef: {name: %s}}
                """.formatted(backend);
    }

    private GatewayHarness gateway(String rules) throws Exception {
        GatewayHarness gw = GatewayHarness.start(root, rules);
        toClose.add(gw);
        assertThat(gw.adminConfig().get("problems")).as("config problems").isEmpty();
        return gw;
    }

    /** Uploads {@code content}, which the primary must take (201); its blobId. */
    private static String upload(GatewayHarness gw, byte[] content) throws Exception {
        HttpResponse<String> upload = gw.post("/upload", "application/octet-stream", content);
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        return GatewayHarness.json(upload).at("/blobRef/blobId").asText();
    }

    /** Stops a gateway before the test ends (a pod that goes away). */
    private void stopGateway(GatewayHarness gw) {
        gw.close();
        toClose.remove(gw);
    }

    private static Map<String, Boolean> locations(GatewayHarness gw, String backend, String blobId) throws Exception {
        HttpResponse<String> r = gw.get("/v1/blobs/" + backend + "/" + blobId + "/meta");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Boolean> byBackend = new TreeMap<>();
        for (JsonNode l : GatewayHarness.json(r).get("locations")) {
            byBackend.put(l.get("backend").asText(), l.get("synced").asBoolean());
        }
        return byBackend;
    }

    private static PrometheusText metrics(GatewayHarness gw) throws Exception {
        return PrometheusText.parse(gw.send(HttpRequest.newBuilder(gw.admin("/metrics")).GET().build()).body());
    }

    private List<Path> spoolEntries() throws Exception {
        Path spool = root.resolve("primary").resolve(".mirror-spool");
        try (var files = Files.list(spool)) {
            return files.filter(f -> f.toString().endsWith(".json")).toList();
        }
    }

    /** The mirror's copy, read with the SDK: exactly one blob object besides the gateway's index records. */
    private byte[] mirrorCopy() {
        assertThat(mirror.blobKeys()).hasSize(1);
        return mirror.read(mirror.blobKeys().get(0));
    }

    @Test
    void uploadIsAnsweredWhileTheMirrorIsDownAndTheMirrorCatchesUpWhenItIsBack() throws Exception {
        GatewayHarness gw = gateway(localPrimaryRules());
        mirrorServer.stop();
        byte[] content = randomBytes(2 * PART + 123, 31);

        HttpResponse<String> upload = gw.post("/upload", "application/octet-stream", content);

        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        String blobId = GatewayHarness.json(upload).at("/blobRef/blobId").asText();
        assertThat(locations(gw, "primary", blobId)).isEqualTo(Map.of("primary", true, "archive", false));
        assertThat(spoolEntries()).as("the owed copy is on disk").hasSize(1);
        assertThat(metrics(gw).sum("conduit_mirror_pending", "backend", "primary")).isEqualTo(1);
        // Patient: under a loaded CI machine the first failed attempt (SDK retries included) once took over 10 s.
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(30),
                () -> metrics(gw).sum("conduit_mirror_copies_total", "result", "error") >= 1))
                .as("failed copy attempts are counted").isTrue();

        mirrorServer.start();

        assertThat(GatewayHarness.eventually(CATCH_UP, () -> locations(gw, "primary", blobId).get("archive")))
                .as("the mirror catches up").isTrue();
        byte[] copy = mirrorCopy();
        assertThat(copy).hasSize(content.length);
        assertThat(sha256(copy)).isEqualTo(sha256(content)).isEqualTo(blobId);
        assertThat(spoolEntries()).as("done entries leave the spool").isEmpty();
        PrometheusText m = metrics(gw);
        assertThat(m.sum("conduit_mirror_pending", "backend", "primary")).isZero();
        assertThat(m.sum("conduit_mirror_copies_total", "mirror", "archive", "result", "ok")).isEqualTo(1);
        // The mirror is a blob backend of its own: the gateway serves the copy by the same id.
        HttpResponse<byte[]> fetched = gw.http.send(HttpRequest.newBuilder(gw.uri("/v1/blobs/archive/" + blobId)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(sha256(fetched.body())).isEqualTo(blobId);
    }

    @Test
    void aCopyOwedWhenTheGatewayStopsIsMadeAfterItRestarts() throws Exception {
        GatewayHarness first = gateway(localPrimaryRules());
        mirrorServer.stop();
        byte[] content = randomBytes(70_000, 32);
        String blobId = upload(first, content);
        stopGateway(first);
        assertThat(spoolEntries()).as("still owed when the gateway stopped").hasSize(1);

        mirrorServer.start();
        GatewayHarness second = gateway(localPrimaryRules());

        assertThat(GatewayHarness.eventually(CATCH_UP, () -> spoolEntries().isEmpty()))
                .as("the restarted gateway resumes the spooled copy").isTrue();
        assertThat(locations(second, "primary", blobId)).isEqualTo(Map.of("primary", true, "archive", true));
        assertThat(sha256(mirrorCopy())).isEqualTo(sha256(content)).isEqualTo(blobId);
    }

    @Test
    void s3PrimaryIsCopiedToAnS3MirrorByteForByte() throws Exception {
        System.setProperty(SinkFactory.DATA_DIR_PROPERTY, root.resolve("data").toString());
        S3Fixture primary = new S3Fixture(TestServers.s3());
        toClose.add(primary);
        String rules = primary.backend("store", "mirrorRefs: [{name: archive}]") + mirror.backend("archive", "contentAddressed: true")
                + uploadRule("store");
        GatewayHarness gw = gateway(rules);
        byte[] content = randomBytes(PART + 17, 33);

        HttpResponse<String> upload = gw.post("/upload", "application/octet-stream", content);

        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        JsonNode ref = GatewayHarness.json(upload).get("blobRef");
        String blobId = ref.get("blobId").asText();
        assertThat(GatewayHarness.eventually(CATCH_UP, () -> locations(gw, "store", blobId).get("archive")))
                .as("the mirror gets the copy").isTrue();
        String hash = sha256(content);
        assertThat(ref.get("sha256").asText()).isEqualTo(hash);
        // The mirror lays the copy out by its own settings: content-addressed there.
        assertThat(mirror.blobKeys()).containsExactly("sha256/" + hash.substring(0, 2) + "/" + hash.substring(2, 4) + "/" + hash);
        assertThat(sha256(mirrorCopy())).isEqualTo(hash);
        assertThat(GatewayHarness.eventually(CATCH_UP, () -> spoolEntries(primary, "store").isEmpty()))
                .as("the done entry leaves the bucket's spool").isTrue();
        assertThat(root.resolve("data").resolve("mirror-spool")).as("an S3 primary spools in its bucket").doesNotExist();
    }

    /** The S3 primary's pending copies, as kept in its own bucket. */
    private static List<String> spoolEntries(S3Fixture bucket, String backend) {
        return bucket.keys().stream().filter(k -> k.startsWith(".conduit/mirror-spool/" + backend + "/entries/")).toList();
    }

    private String s3PrimaryRules(S3Fixture primary) {
        return primary.backend("store", "mirrorRefs: [{name: archive}]") + mirror.backend("archive", "") + uploadRule("store");
    }

    @Test
    void aCopyOwedByAnS3PrimaryOutlivesThePodThatOwedIt() throws Exception {
        S3Fixture primary = new S3Fixture(TestServers.s3());
        toClose.add(primary);
        System.setProperty(SinkFactory.DATA_DIR_PROPERTY, root.resolve("pod-1").toString());
        GatewayHarness first = gateway(s3PrimaryRules(primary));
        mirrorServer.stop();
        byte[] content = randomBytes(PART + 99, 34);
        String blobId = upload(first, content);
        assertThat(spoolEntries(primary, "store")).as("the owed copy is in the primary's bucket").hasSize(1);
        stopGateway(first);

        // A rollout: the replacement pod starts with an empty data folder, the mirror is back.
        mirrorServer.start();
        System.setProperty(SinkFactory.DATA_DIR_PROPERTY, root.resolve("pod-2").toString());
        GatewayHarness second = gateway(s3PrimaryRules(primary));

        assertThat(GatewayHarness.eventually(CATCH_UP, () -> locations(second, "store", blobId).get("archive")))
                .as("the new pod makes the copy the old one owed").isTrue();
        assertThat(sha256(mirrorCopy())).isEqualTo(sha256(content));
        assertThat(GatewayHarness.eventually(CATCH_UP, () -> spoolEntries(primary, "store").isEmpty()))
                .as("the entry leaves the spool").isTrue();
        assertThat(primary.keys()).as("only the running gateway's heartbeat is left of the spool")
                .filteredOn(k -> k.contains("mirror-spool")).hasSize(1).allMatch(k -> k.contains("/owners/"));
    }

    @Test
    void aReplicaTakesOverTheCopiesOfOneThatDiedOnceItsHeartbeatIsOlderThanTheLease() throws Exception {
        System.setProperty(SinkFactory.MIRROR_LEASE_PROPERTY, "2000");
        try {
            S3Fixture primary = new S3Fixture(TestServers.s3());
            toClose.add(primary);
            System.setProperty(SinkFactory.DATA_DIR_PROPERTY, root.resolve("pod-1").toString());
            GatewayHarness survivor = gateway(s3PrimaryRules(primary));
            System.setProperty(SinkFactory.DATA_DIR_PROPERTY, root.resolve("pod-2").toString());
            GatewayHarness dying = gateway(s3PrimaryRules(primary));
            mirrorServer.stop();
            byte[] content = randomBytes(40_000, 36);
            String blobId = upload(dying, content);
            List<String> owed = spoolEntries(primary, "store");
            assertThat(owed).hasSize(1);
            String dyingOwner = owed.get(0).split("/")[4];
            stopGateway(dying);
            // As if it had died: its heartbeat stays behind, at its last beat.
            primary.sdk.putObject(b -> b.bucket(primary.bucket).key(".conduit/mirror-spool/store/owners/" + dyingOwner),
                    software.amazon.awssdk.core.async.AsyncRequestBody.fromString("{}")).join();
            mirrorServer.start();

            assertThat(GatewayHarness.eventually(CATCH_UP, () -> locations(survivor, "store", blobId).get("archive")))
                    .as("the surviving replica makes the dead one's copy").isTrue();
            assertThat(sha256(mirrorCopy())).isEqualTo(sha256(content));
            assertThat(GatewayHarness.eventually(CATCH_UP, () -> spoolEntries(primary, "store").isEmpty())).isTrue();
            assertThat(primary.keys()).noneMatch(k -> k.contains(dyingOwner));
        } finally {
            System.clearProperty(SinkFactory.MIRROR_LEASE_PROPERTY);
        }
    }

    @Test
    void copiesAnEarlierVersionSpooledInTheDataFolderMoveIntoTheBucket() throws Exception {
        S3Fixture primary = new S3Fixture(TestServers.s3());
        toClose.add(primary);
        System.setProperty(SinkFactory.DATA_DIR_PROPERTY, root.resolve("data").toString());
        mirrorServer.stop();
        GatewayHarness before = gateway(s3PrimaryRules(primary));
        byte[] content = randomBytes(70_000, 35);
        String blobId = upload(before, content);
        stopGateway(before);
        // What an earlier version left: the entry as a file in the data folder, none in the bucket.
        Path oldSpool = root.resolve("data").resolve("mirror-spool").resolve("store");
        Files.createDirectories(oldSpool);
        String onlyEntry = spoolEntries(primary, "store").get(0);
        Files.write(oldSpool.resolve("1700000000000-old.json"), primary.read(onlyEntry));
        primary.sdk.deleteObject(b -> b.bucket(primary.bucket).key(onlyEntry)).join();

        mirrorServer.start();
        GatewayHarness after = gateway(s3PrimaryRules(primary));

        assertThat(GatewayHarness.eventually(CATCH_UP, () -> locations(after, "store", blobId).get("archive")))
                .as("the copy the old spool held is made").isTrue();
        assertThat(sha256(mirrorCopy())).isEqualTo(sha256(content));
        assertThat(GatewayHarness.files(oldSpool)).as("the old spool is emptied").isEmpty();
        assertThat(GatewayHarness.eventually(CATCH_UP, () -> spoolEntries(primary, "store").isEmpty())).isTrue();
    }
}
