/**
 * Bearer-token auth: the tokens, who a caller is, and which rules and built-in reads they may use.
 * Uses {@code routing} and {@code errors}.
 */
package io.conduit.gateway.edge.auth;
