/**
 * Loading configs (folder, file, push) and building each into a {@code LiveConfig}: the route table, the sinks
 * and the compiled edge policies, swapped in whole. Uses {@code edge}, the stores ({@code blob}, {@code queue} and their
 * per-store packages, {@code redis}), {@code routing} and {@code errors}; never a request-handling package.
 */
package io.conduit.gateway.config;
