/**
 * The EdgeGateway kind: its reconciler (a workflow of one dependent per owned object, then the config
 * push and the status), the rendering it shares with its dependents, and the push round to the pods.
 * May use the API model, the renderer and config of the crds module, {@code status}, and the settings of
 * the root package; never {@code rule} or {@code backend}.
 */
package io.conduit.operator.gateway;
