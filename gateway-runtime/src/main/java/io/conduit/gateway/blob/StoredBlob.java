package io.conduit.gateway.blob;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;
import java.util.Optional;

/** A blob found for reading: its reference, and how to send a byte range of it. */
public interface StoredBlob {
    BlobRef ref();

    /** Where GET should send the client instead of streaming (a presigned URL), if the backend redirects. */
    default Optional<String> redirect() {
        return Optional.empty();
    }

    /** Sends {@code length} bytes from {@code offset} as the response body and ends the response. */
    Future<Void> send(HttpServerResponse response, long offset, long length);

    /** Streams all its bytes into {@code target} with back-pressure, then ends it (mirror copies read this way). */
    Future<Void> copyTo(WriteStream<Buffer> target);
}
