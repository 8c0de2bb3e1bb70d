/**
 * Durable files on local disk (write, fsync, rename). Bottom layer: uses nothing of the gateway's.
 */
package io.conduit.gateway.storage;
