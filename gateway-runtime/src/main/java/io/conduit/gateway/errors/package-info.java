/**
 * The errors every layer raises: {@link io.conduit.gateway.errors.ErrorCode} (code and status) and
 * {@link io.conduit.gateway.errors.GatewayException}. The bottom layer: uses nothing of the gateway's.
 */
package io.conduit.gateway.errors;
