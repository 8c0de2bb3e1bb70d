package io.conduit.gateway.edge.logging;

import io.conduit.gateway.edge.metrics.Metrics;
import io.vertx.core.http.HttpServerRequest;

/** A gateway's metrics and JSON log, handed to the parts that record into them. */
public record Telemetry(Metrics metrics, EventLog log) {

    /** Starts recording one request; {@link Exchange#finish()} ends it. */
    public Exchange begin(HttpServerRequest request, String requestId) {
        return new Exchange(this, request, requestId);
    }
}
