/**
 * The gateway's Prometheus metrics. Uses nothing of the gateway's.
 */
package io.conduit.gateway.edge.metrics;
