/**
 * Recording requests for replay ({@code edge.recording}) and the {@code replay} command that sends them again.
 * Uses {@code edge} (logging, metrics, body progress) and {@code routing}; never {@code ingest}.
 */
package io.conduit.gateway.replay;
