/**
 * A matched rule's run as named steps: stage or read the body, commit or enqueue, reference, follow-up, respond
 * ({@link io.conduit.gateway.ingest.RuleHandler} orders them), and the built-in read endpoints. Uses {@code config},
 * {@code edge}, the stores' interfaces ({@code blob}, {@code queue}), {@code routing} and {@code errors}.
 */
package io.conduit.gateway.ingest;
