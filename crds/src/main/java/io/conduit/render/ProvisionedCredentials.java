package io.conduit.render;

import io.conduit.api.v1alpha1.QueueBackendSpec;

/**
 * Where the operator keeps the identity it provisioned for one gateway in one backend's store: a Secret
 * in the backend's namespace, next to the admin credentials it was made with. The renderer reads the
 * gateway's credentials from there, so a gateway never receives the admin credentials.
 */
public final class ProvisionedCredentials {
    private ProvisionedCredentials() {
    }

    /** {@code <backend>.<gateway namespace>.<gateway>.redis-acl}: readable, and unique per backend and gateway. */
    public static String redisGatewaySecret(String backend, String gatewayNamespace, String gateway) {
        return backend + "." + gatewayNamespace + "." + gateway + ".redis-acl";
    }

    /** Whether the gateways of a Redis backend log in as provisioned ACL users. */
    public static boolean redisAclUsers(QueueBackendSpec.Redis redis) {
        return redis != null && redis.provision() != null && Boolean.TRUE.equals(redis.provision().aclUsers());
    }
}
