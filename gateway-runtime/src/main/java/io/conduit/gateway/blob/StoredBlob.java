package io.conduit.gateway.blob;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;

/** A blob found for reading: its reference, and how to send a byte range of it. */
public interface StoredBlob {
    BlobRef ref();

    /** Sends {@code length} bytes from {@code offset} as the response body and ends the response. */
    Future<Void> send(HttpServerResponse response, long offset, long length);
}
