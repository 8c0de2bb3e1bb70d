/**
 * The store-neutral blob interfaces ({@link io.conduit.gateway.blob.BlobSink}, {@link io.conduit.gateway.blob.BlobWriter})
 * and what every store shares (refs, digests, keys, MIME sniffing). Uses only {@code errors}; knows no store.
 */
package io.conduit.gateway.blob;
