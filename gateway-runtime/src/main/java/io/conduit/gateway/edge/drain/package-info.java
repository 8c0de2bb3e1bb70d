/**
 * Graceful shutdown: stop taking traffic, let requests in flight end. Uses {@code edge.logging} and {@code edge.metrics}.
 */
package io.conduit.gateway.edge.drain;
