package io.conduit.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One object as the operator leaves it, and what Argo CD must show for it: a sample under
 * examples/gitops/health/conduit.io/{kind}/testdata with its line in health_test.yaml.
 *
 * @param name    file name without {@code .yaml}
 * @param health  Healthy, Progressing or Degraded
 * @param message the message the health check must show
 */
public record HealthSample(String name, HasMetadata object, String health, String message) {
}
