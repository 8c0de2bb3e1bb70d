/**
 * The {@code GatewayConfig}: the self-contained, JSON-serialisable configuration a gateway runs.
 * The renderer produces it from resources; the operator pushes it to pods; a standalone gateway
 * renders it from a folder. Credentials never live here (see {@link io.conduit.config.GatewayCredentials}).
 * Uses only some enums of the API model; never the renderer.
 */
package io.conduit.config;
