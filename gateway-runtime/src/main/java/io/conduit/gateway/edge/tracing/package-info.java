/**
 * W3C trace context of a request. Uses nothing of the gateway's.
 */
package io.conduit.gateway.edge.tracing;
