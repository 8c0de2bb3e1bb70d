/**
 * WebSocket rules: the upgrade, admitted like a request, and each message queued through {@code ingest}'s rule run.
 * Uses {@code ingest}, {@code config}, {@code edge}, {@code queue}, {@code routing} and {@code errors}.
 */
package io.conduit.gateway.ws;
