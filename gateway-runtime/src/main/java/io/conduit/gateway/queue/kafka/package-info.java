/**
 * The Kafka queue store and its producer settings. Uses {@code queue}, {@code queue.redis} (shared idempotency
 * records), {@code redis} and {@code errors}.
 */
package io.conduit.gateway.queue.kafka;
