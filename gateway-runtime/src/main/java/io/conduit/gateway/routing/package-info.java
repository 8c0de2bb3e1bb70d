/**
 * The compiled route table: matching a request to a rule. Bottom layer: uses nothing of the gateway's.
 */
package io.conduit.gateway.routing;
