/**
 * The JSON event log and the per-request exchange that records one request's log line and metrics.
 * Uses {@code edge.metrics} and {@code edge.tracing}.
 */
package io.conduit.gateway.edge.logging;
