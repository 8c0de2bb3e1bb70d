/**
 * Value formats the API shares (durations, quantities) and the translation of schema errors into
 * messages. {@code v1alpha1} uses the formats' patterns, and {@link io.conduit.api.SchemaErrors} reads
 * the model; nothing else of the module.
 */
package io.conduit.api;
