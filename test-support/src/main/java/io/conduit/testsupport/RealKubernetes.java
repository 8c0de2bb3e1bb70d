package io.conduit.testsupport;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code @ExtendWith(RealKubernetes.class)}: the class's tests get the JVM's one {@link KubeCluster} (or its admin
 * {@link KubernetesClient}) as a parameter of a test, lifecycle method or constructor. The cluster is found once per
 * JVM ({@link TestServers#kube()}), so every test class of a module shares one control plane; a missing one
 * skips the class, or fails it under {@code CI=true}.
 */
public final class RealKubernetes implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        TestServers.kube();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        return type == KubeCluster.class || type == KubernetesClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        KubeCluster cluster = TestServers.kube();
        return parameter.getParameter().getType() == KubeCluster.class ? cluster : cluster.client();
    }
}
