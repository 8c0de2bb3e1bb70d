/**
 * The RouteRule kind: a status-only reconciler that renders a rule's gateways to judge it and asks
 * {@link io.conduit.operator.gateway.ServedRules} whether it is live. May use the crds module,
 * {@code status}, the root package's settings and the gateway package's rendering and served rules.
 */
package io.conduit.operator.rule;
