package io.conduit.operator.provision;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Names of the ACL users the operator owns in a Redis. ':' and '/' never occur in Kubernetes names, so the
 * prefix of one backend's users cannot match another backend's, and stale users can be found by prefix.
 */
final class RedisUsers {
    private RedisUsers() {
    }

    /** Every user the operator provisions for {@code backend} starts with this. */
    static String prefix(HasMetadata backend) {
        return "conduit:" + backend.getMetadata().getNamespace() + "/" + backend.getMetadata().getName() + ":";
    }

    static String gateway(HasMetadata backend, String gatewayNamespace, String gateway) {
        return prefix(backend) + "gateway:" + gatewayNamespace + "/" + gateway;
    }

    static String consumer(HasMetadata backend, String consumer) {
        return prefix(backend) + "consumer:" + consumer;
    }
}
