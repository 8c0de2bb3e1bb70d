package io.conduit.gateway.blob;

/** What is known of a blob before its bytes arrive. {@code key} is the rendered key template, when the rule has one. */
public record BlobMeta(String blobId, String filename, String declaredMime, String key, String requestId) {
}
