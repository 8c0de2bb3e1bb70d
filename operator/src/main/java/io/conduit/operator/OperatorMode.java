package io.conduit.operator;

import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;

/**
 * How the operator talks to the API server: plain (non server-side-apply) patches, in production
 * exactly as in tests, because Fabric8's mock API server has no server-side apply and tests should
 * exercise the code users run.
 */
public final class OperatorMode {
    private OperatorMode() {
    }

    public static void apply(ConfigurationServiceOverrider overrider) {
        overrider.withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false);
    }
}
