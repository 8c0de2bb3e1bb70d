/**
 * CORS: preflight answers and the headers an answer carries. Uses nothing of the gateway's.
 */
package io.conduit.gateway.edge.cors;
