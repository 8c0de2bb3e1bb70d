package io.conduit.gateway.blob.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool folder of a local primary, on a real file system. */
class FolderMirrorSpoolTest {
    @TempDir
    Path dir;
    Vertx vertx;
    final MirrorEntry entry = new MirrorEntry("blob-1", "ab".repeat(32), 42, "text/plain", "a.txt", List.of("archive"));

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static List<MirrorSpool.Held> adopt(FolderMirrorSpool spool, Set<String> held) throws Exception {
        List<MirrorSpool.Held> taken = new ArrayList<>();
        spool.adopt(held, taken::add).await(10, TimeUnit.SECONDS);
        return taken;
    }

    @Test
    void entriesWrittenAfterTheFirstReadAreHandedOverLaterUnlessHeld() throws Exception {
        FolderMirrorSpool spool = new FolderMirrorSpool(vertx, dir);
        assertThat(adopt(spool, Set.of())).isEmpty();
        // Another queue of this process (the one a reload retires) writes to the same folder.
        FolderMirrorSpool retiring = new FolderMirrorSpool(vertx, dir);
        String id = retiring.add(entry).await(10, TimeUnit.SECONDS);

        assertThat(adopt(spool, Set.of(id))).isEmpty();
        assertThat(adopt(spool, Set.of())).containsExactly(new MirrorSpool.Held(id, entry));
    }

    @Test
    void entriesThatNameNothingAreSetAsideAndTheRestHandedOver() throws Exception {
        FolderMirrorSpool spool = new FolderMirrorSpool(vertx, dir);
        String id = spool.add(entry).await(10, TimeUnit.SECONDS);
        Files.writeString(dir.resolve("1-broken.json"), "{\"blobId\": ");
        Files.writeString(dir.resolve("2-null.json"), "null");
        Files.writeString(dir.resolve("3-empty.json"), "{}");

        assertThat(adopt(spool, Set.of())).containsExactly(new MirrorSpool.Held(id, entry));
        assertThat(dir.resolve("1-broken.json.unreadable")).exists();
        assertThat(dir.resolve("2-null.json.unreadable")).exists();
        assertThat(dir.resolve("3-empty.json.unreadable")).exists();
        assertThat(dir.resolve("3-empty.json")).doesNotExist();
    }

    @Test
    void onlyPartFilesLeftForLongAreDeleted() throws Exception {
        FolderMirrorSpool spool = new FolderMirrorSpool(vertx, dir);
        Path writing = Files.writeString(dir.resolve("5-new.json.x.part"), "{");
        Path abandoned = Files.writeString(dir.resolve("4-old.json.y.part"), "{");
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(Duration.ofHours(1))));

        assertThat(adopt(spool, Set.of())).isEmpty();

        assertThat(writing).as("another queue may be publishing it").exists();
        assertThat(abandoned).doesNotExist();
    }
}
