/**
 * The operator's entry point ({@link io.conduit.operator.ConduitOperator}) and what every kind's package
 * shares: settings from the environment, the operator's namespace and the namespaces it watches. The entry
 * point wires the kind packages' reconcilers; everything else here uses only Fabric8 and the JDK.
 */
package io.conduit.operator;
