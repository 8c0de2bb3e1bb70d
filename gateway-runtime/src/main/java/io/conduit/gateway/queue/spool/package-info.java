/**
 * The local spool queue store and the {@code requeue} command that drains it into a real backend. Uses
 * {@code queue}, {@code storage} and {@code errors}.
 */
package io.conduit.gateway.queue.spool;
