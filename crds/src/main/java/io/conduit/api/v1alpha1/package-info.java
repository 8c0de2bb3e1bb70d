/**
 * The Conduit API, group {@code conduit.io}, version {@code v1alpha1}. Spec and status types are
 * records; the CRD YAML is generated from them at build time.
 */
package io.conduit.api.v1alpha1;
