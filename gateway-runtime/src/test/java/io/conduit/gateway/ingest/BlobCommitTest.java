package io.conduit.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.gateway.blob.BlobDigest;
import io.conduit.gateway.blob.BlobRef;
import io.conduit.gateway.blob.BlobWriter;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The commit step: all staged parts published together, or every opened writer aborted. */
class BlobCommitTest {
    /** A stand-in writer of a blob store (the stores themselves are tested against real servers). */
    private static final class Writer implements BlobWriter {
        final String blobId;
        final boolean abortFails;
        boolean committed;
        boolean aborted;

        Writer(String blobId, boolean abortFails) {
            this.blobId = blobId;
            this.abortFails = abortFails;
        }

        @Override
        public Future<Void> write(Buffer chunk) {
            return Future.succeededFuture();
        }

        @Override
        public boolean writeQueueFull() {
            return false;
        }

        @Override
        public void drainHandler(Handler<Void> handler) {
        }

        @Override
        public Future<BlobRef> commit(BlobDigest digest) {
            committed = true;
            return Future.succeededFuture(new BlobRef(blobId, "local", "files", digest.sha256(), digest.size(), digest.mime(),
                    null, null, null, null, null));
        }

        @Override
        public Future<Void> abort() {
            aborted = true;
            return abortFails ? Future.failedFuture(new IllegalStateException("disk gone")) : Future.succeededFuture();
        }
    }

    @Test
    void everyPartIsPublishedInTheOrderItCame() {
        Writer a = new Writer("a", false);
        Writer b = new Writer("b", false);

        Future<List<BlobRef>> refs = BlobCommit.commitAll(List.of(new BlobStage.Part(a, new BlobDigest("1", 1, "text/plain")),
                new BlobStage.Part(b, new BlobDigest("2", 2, "image/png"))));

        assertThat(refs.result()).extracting(BlobRef::blobId).containsExactly("a", "b");
        assertThat(refs.result()).extracting(BlobRef::size).containsExactly(1L, 2L);
        assertThat(a.committed && b.committed).isTrue();
    }

    @Test
    void abortingGoesOnPastAWriterWhoseAbortFails() {
        Writer broken = new Writer("a", true);
        Writer fine = new Writer("b", false);

        Future<Void> aborted = BlobCommit.abortAll(List.of(broken, fine));

        assertThat(aborted.succeeded()).isTrue();
        assertThat(broken.aborted && fine.aborted).isTrue();
    }
}
