/**
 * How the operator logs in to a Redis with a backend's Secret: shared by the readiness check ({@code backend}) and the
 * provisioner ({@code provision}), so neither imports the other. Uses nothing of the operator.
 */
package io.conduit.operator.redis;
