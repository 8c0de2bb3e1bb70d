package io.conduit.gateway.blob;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** A blob store the gateway writes to and reads from. Implementations never block the event loop. */
public interface BlobSink extends AutoCloseable {
    /** The BlobBackend's name. */
    String name();

    Future<BlobWriter> open(BlobMeta meta);

    Future<Optional<StoredBlob>> find(String blobId);

    /** Where the blob {@code ref} is kept; a backend without mirrors has it in one place. */
    default Future<List<BlobLocation>> locations(BlobRef ref) {
        return Future.succeededFuture(List.of(new BlobLocation(name(), true)));
    }

    @Override
    void close();
}
