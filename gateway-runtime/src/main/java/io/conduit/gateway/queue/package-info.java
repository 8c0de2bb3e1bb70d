/**
 * The store-neutral queue interfaces ({@link io.conduit.gateway.queue.QueueSink},
 * {@link io.conduit.gateway.queue.QueueMessage}) and what every store shares: job ids, options, idempotency keys and
 * records. Uses only {@code errors}; knows no store.
 */
package io.conduit.gateway.queue;
