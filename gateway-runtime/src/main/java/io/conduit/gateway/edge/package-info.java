/**
 * The edge policies a request passes before its rule runs (CORS, auth, quotas, rate limits), compiled once per
 * config into {@link io.conduit.gateway.edge.EdgePolicies}, and the HTTP answers every layer above writes. Uses
 * {@code redis} (global rate limits), {@code routing} and {@code errors}; never {@code config} or a store.
 */
package io.conduit.gateway.edge;
