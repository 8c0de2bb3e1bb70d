/**
 * The gateway process: options, the server that wires the layers together, signals, and the {@code Main} entry point
 * (serve, replay, requeue). Top of the layers: may use every package below.
 */
package io.conduit.gateway;
