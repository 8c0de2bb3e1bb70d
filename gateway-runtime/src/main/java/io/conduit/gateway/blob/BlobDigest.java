package io.conduit.gateway.blob;

/** What streaming the bytes taught us: their sha256 (null when the rule turned hashing off), size and MIME type. */
public record BlobDigest(String sha256, long size, String mime) {
}
