/**
 * The traffic port's front door: {@link io.conduit.gateway.dispatch.TrafficHandler} gives each request an id, answers
 * health probes, applies the edge policies and hands the request to {@code ingest}, {@code ws} or the built-in reads.
 * Above every request-handling package; only the server uses it.
 */
package io.conduit.gateway.dispatch;
