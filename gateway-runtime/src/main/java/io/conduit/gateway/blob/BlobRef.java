package io.conduit.gateway.blob;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The small reference a client gets for a stored blob (seed 000). {@code backend} is the store type,
 * {@code backendName} the BlobBackend's name; the optional fields depend on the store.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BlobRef(
        String blobId,
        String backend,
        String backendName,
        String sha256,
        long size,
        String mime,
        String bucket,
        String key,
        String path,
        String url,
        String filename) {
}
