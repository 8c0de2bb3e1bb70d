/**
 * The admin port's API (config push, status, metrics) and its token and host checks. Uses {@code config},
 * {@code edge} (responses, metrics) and {@code errors}; only the server uses it.
 */
package io.conduit.gateway.admin;
