/**
 * The Redis queue stores (BullMQ and Streams) with their Lua scripts, and Redis-backed idempotency records.
 * Uses {@code queue}, {@code redis} and {@code errors}.
 */
package io.conduit.gateway.queue.redis;
