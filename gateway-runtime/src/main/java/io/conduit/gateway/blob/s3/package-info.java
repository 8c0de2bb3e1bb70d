/**
 * The S3 blob store: multipart uploads, downloads, pending aborts, the SDK clients. Uses {@code blob},
 * {@code storage} and {@code errors}.
 */
package io.conduit.gateway.blob.s3;
