/**
 * Limits at the edge: rate-limit buckets (local and in Redis), tenant quotas, failed-auth throttling, header and
 * body deadlines, client addresses. Uses {@code edge.auth}, {@code redis} and {@code errors}.
 */
package io.conduit.gateway.edge.limits;
