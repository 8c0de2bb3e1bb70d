/**
 * The Redis plumbing the queue stores and the global rate limits share: the connection, Lua scripts and calls
 * with errors translated. Uses only {@code errors}.
 */
package io.conduit.gateway.redis;
