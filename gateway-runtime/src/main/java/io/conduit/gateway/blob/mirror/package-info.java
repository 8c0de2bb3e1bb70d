/**
 * Mirroring: a blob store whose committed blobs are copied to other stores, with the spool of copies owed
 * (in a folder, or in the primary's S3 bucket). Uses {@code blob}, {@code blob.s3}, {@code storage} and {@code errors}.
 */
package io.conduit.gateway.blob.mirror;
