/**
 * The BlobBackend and QueueBackend kinds: status-only reconcilers that probe each store (S3, Redis,
 * Kafka) with the client the gateway uses for it. May use the API model and {@code status}; nothing
 * of the other kinds.
 */
package io.conduit.operator.backend;
