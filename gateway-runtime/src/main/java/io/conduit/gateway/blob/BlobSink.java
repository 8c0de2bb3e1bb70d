package io.conduit.gateway.blob;

import io.vertx.core.Future;
import java.util.Optional;

/** A blob store the gateway writes to and reads from. Implementations never block the event loop. */
public interface BlobSink extends AutoCloseable {
    /** The BlobBackend's name. */
    String name();

    Future<BlobWriter> open(BlobMeta meta);

    Future<Optional<StoredBlob>> find(String blobId);

    @Override
    void close();
}
