/**
 * What every reconciler writes besides objects: conditions in the Kubernetes conventions and events.
 * The bottom of the operator: uses Fabric8 only, never another operator package.
 */
package io.conduit.operator.status;
