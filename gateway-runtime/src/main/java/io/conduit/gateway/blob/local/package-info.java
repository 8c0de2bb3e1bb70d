/**
 * The local-folder blob store. Uses {@code blob}, {@code storage} and {@code errors}.
 */
package io.conduit.gateway.blob.local;
