package io.conduit.gateway.blob;

/** Where a blob is kept (seed 003): its primary backend, or a mirror that has (or has not yet) got a copy. */
public record BlobLocation(String backend, boolean synced) {
}
