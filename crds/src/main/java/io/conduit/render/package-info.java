/**
 * The pure renderer: resources in, one {@link io.conduit.config.GatewayConfig} plus problems per
 * resource out. The operator and the standalone gateway both call it, so a rule is judged the same
 * way in a cluster and on a laptop. May use the API model, {@code config} and {@code template}; nothing
 * here does I/O.
 */
package io.conduit.render;
