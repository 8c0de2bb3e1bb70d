package io.conduit.gateway.blob.mirror;

import io.conduit.gateway.blob.BlobDigest;
import io.conduit.gateway.blob.BlobMeta;
import io.conduit.gateway.blob.BlobRef;
import io.conduit.gateway.blob.BlobWriter;
import io.conduit.gateway.blob.StoredBlob;
import io.conduit.gateway.blob.local.LocalBlobSink;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool between local blob folders: what is owed survives a new queue, and is copied and checked. */
class MirrorQueueTest {
    @TempDir
    Path dir;
    final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void backoffGrowsExponentiallyWithJitterUpToTheCap() {
        for (int attempt = 1; attempt <= 30; attempt++) {
            long ceiling = Math.min(MirrorQueue.MAX_BACKOFF_MILLIS, MirrorQueue.FIRST_BACKOFF_MILLIS << Math.min(attempt - 1, 20));
            long wait = MirrorQueue.backoff(attempt);
            assertThat(wait).as("attempt %d", attempt).isBetween(ceiling / 2, ceiling);
        }
        assertThat(MirrorQueue.backoff(1)).isLessThanOrEqualTo(MirrorQueue.FIRST_BACKOFF_MILLIS);
        assertThat(MirrorQueue.backoff(40)).isGreaterThanOrEqualTo(MirrorQueue.MAX_BACKOFF_MILLIS / 2);
    }

    @Test
    void anOwedCopyWrittenByOneQueueIsMadeByTheNextAndLeavesTheSpool() throws Exception {
        LocalBlobSink primary = new LocalBlobSink(vertx, "primary", dir.resolve("primary"));
        LocalBlobSink mirror = new LocalBlobSink(vertx, "mirror", dir.resolve("mirror"));
        byte[] content = "mirrored bytes".repeat(10_000).getBytes();
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        BlobWriter writer = primary.open(new BlobMeta("x", "a.txt", "text/plain", null, null)).await(10, TimeUnit.SECONDS);
        writer.write(Buffer.buffer(content)).await(10, TimeUnit.SECONDS);
        BlobRef ref = writer.commit(new BlobDigest(hash, content.length, "text/plain")).await(10, TimeUnit.SECONDS);
        Path spool = dir.resolve("spool");

        MirrorQueue first = new MirrorQueue(vertx, "primary", new FolderMirrorSpool(vertx, spool), null, primary,
                MirrorEvents.NONE);
        first.enqueue(ref, List.of("mirror")).await(10, TimeUnit.SECONDS);
        first.close();
        assertThat(Files.list(spool).toList()).as("one entry on disk").hasSize(1);

        MirrorQueue second = new MirrorQueue(vertx, "primary", new FolderMirrorSpool(vertx, spool), null, primary,
                MirrorEvents.NONE);
        second.useMirrors(Map.of("mirror", mirror));

        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((FolderMirrorSpool.holdsEntries(spool) || second.size() > 0) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        second.close();
        assertThat(second.size()).isZero();
        assertThat(Files.list(spool).toList()).isEmpty();
        StoredBlob copy = mirror.find(hash).await(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(copy.ref().size()).isEqualTo(content.length);
        assertThat(Files.readAllBytes(dir.resolve("mirror").resolve(copy.ref().path()))).isEqualTo(content);
        assertThat(copy.ref().filename()).isEqualTo("a.txt");
    }
}
