package io.conduit.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.gateway.blob.BlobRef;
import io.conduit.gateway.blob.BlobWriter;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A blob rule's commit: every staged part is published at once, or every opened writer aborted. */
final class BlobCommit {
    private static final Logger LOG = LoggerFactory.getLogger(BlobCommit.class);

    /** Blobs published for one request, and the form fields that came with them. */
    record Stored(List<BlobRef> refs, JsonNode fields) {
    }

    private BlobCommit() {
    }

    /** Publishes every staged part; only now, with the whole request received, does anything become visible. */
    static Future<List<BlobRef>> commitAll(List<BlobStage.Part> parts) {
        List<Future<BlobRef>> commits = parts.stream().map(p -> p.writer().commit(p.digest())).toList();
        return Future.all(commits).map(all -> commits.stream().map(Future::result).toList());
    }

    /** Aborts every writer; a failed abort is logged, never the answer (the request already failed). */
    static Future<Void> abortAll(List<BlobWriter> writers) {
        List<Future<Void>> aborts = writers.stream().map(w -> w.abort().recover(e -> {
            LOG.warn("abort of a partial blob failed", e);
            return Future.<Void>succeededFuture();
        })).toList();
        return Future.join(aborts).mapEmpty();
    }
}
