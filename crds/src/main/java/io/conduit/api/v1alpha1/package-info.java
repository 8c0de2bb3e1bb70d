/**
 * The Conduit API, group {@code conduit.io}, version {@code v1alpha1}. Spec and status types are
 * records; the CRD YAML is generated from them at build time. Uses only Fabric8's model, Jackson's
 * and the CRD generator's annotations, and the value formats of {@code io.conduit.api}.
 */
package io.conduit.api.v1alpha1;
