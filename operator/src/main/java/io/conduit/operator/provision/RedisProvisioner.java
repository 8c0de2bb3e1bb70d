package io.conduit.operator.provision;

import io.conduit.api.v1alpha1.ProvisionedConsumer;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.QueueBackendSpec;
import io.conduit.render.ProvisionedCredentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Redis ACL users of a QueueBackend with {@code redis.provision}: one per EdgeGateway of its namespace that
 * writes to it, one per declared consumer; every other user under the backend's user prefix is removed (a
 * deleted gateway, a dropped consumer). Made with the admin credentials of {@code credentialsSecretRef}.
 * Each reconciliation sets every user whole, so a user changed by hand is put back.
 */
final class RedisProvisioner {
    static final String CONDITION = "CredentialsReady";

    private RedisProvisioner() {
    }

    static Step reconcile(QueueBackend backend, KubernetesClient client) {
        QueueBackendSpec.Redis redis = backend.getSpec().redis();
        QueueBackendSpec.RedisProvision provision = redis.provision();
        String ns = backend.getMetadata().getNamespace();
        if (redis.credentialsSecretRef() == null) {
            return Step.failed(CONDITION, "AdminCredentialsMissing",
                    "redis.provision needs credentialsSecretRef: the admin user the operator creates ACL users with");
        }
        Map<String, String> admin = ProvisionSecrets.values(client, ns, redis.credentialsSecretRef().name());
        if (admin == null || !admin.containsKey("password")) {
            return Step.failed(CONDITION, "AdminCredentialsMissing", "Secret " + ns + "/" + redis.credentialsSecretRef().name()
                    + (admin == null ? " not found" : " has no key password"));
        }
        QueueBackendSpec.RedisMode mode = redis.mode() == null ? QueueBackendSpec.RedisMode.BULLMQ : redis.mode();
        String prefix = redis.prefix() != null ? redis.prefix() : mode == QueueBackendSpec.RedisMode.STREAMS ? "conduit" : "bull";
        String backendRotation = Rotation.of(backend);
        boolean tls = Boolean.TRUE.equals(redis.tls()) || redis.url().startsWith("rediss://");

        List<Secret> owned = new ArrayList<>();
        for (ProvisionedConsumer c : consumers(provision)) {
            Secret existing = ProvisionSecrets.get(client, ns, c.secretName());
            if (existing != null && !ProvisionSecrets.ownedBy(existing, backend)) {
                return Step.failed(CONDITION, "SecretConflict", "consumer " + c.name() + ": Secret " + ns + "/" + c.secretName()
                        + " exists and was not written by the operator for this backend; choose another secretName");
            }
        }
        try (RedisAdmin store = RedisAdmin.connect(redis.url(), tls, admin)) {
            Map<String, String> wanted = new LinkedHashMap<>();
            List<String> gateways = new ArrayList<>();
            if (Boolean.TRUE.equals(provision.aclUsers())) {
                for (GatewayUsers.Use use : GatewayUsers.of(backend, client)) {
                    String user = RedisUsers.gateway(backend, use.namespace(), use.name());
                    String secretName = ProvisionedCredentials.redisGatewaySecret(backend.getMetadata().getName(), use.namespace(), use.name());
                    StoredIdentity identity = StoredIdentity.resolve(ProvisionSecrets.get(client, ns, secretName),
                            StoredIdentity.PASSWORD, backendRotation + "|" + Rotation.of(use.gateway()));
                    // Redis first: a Secret naming a password Redis does not know yet would lock the gateway out.
                    store.setUser(user, identity.acceptedSha256s(),
                            RedisAclRules.gateway(mode, prefix, use.namespace() + "/" + use.name(), use.globalRateLimits()));
                    owned.add(ProvisionSecrets.gateway(backend, use.gateway(), secretName, user, identity));
                    wanted.put(user, secretName);
                    gateways.add(use.name());
                }
            }
            List<String> consumers = new ArrayList<>();
            for (ProvisionedConsumer c : consumers(provision)) {
                String user = RedisUsers.consumer(backend, c.name());
                StoredIdentity identity = StoredIdentity.resolve(ProvisionSecrets.get(client, ns, c.secretName()),
                        ProvisionSecrets.REDIS_PASSWORD, backendRotation);
                store.setUser(user, identity.acceptedSha256s(), RedisAclRules.consumer(mode, prefix));
                owned.add(ProvisionSecrets.redisConsumer(backend, c.secretName(), RedisConnectionUrl.of(redis.url(), tls),
                        user, identity, prefix, mode));
                wanted.put(user, c.secretName());
                consumers.add(c.name());
            }
            owned.forEach(s -> ProvisionSecrets.write(client, s));
            Set<String> stale = new TreeSet<>();
            for (String user : store.users()) {
                if (user.startsWith(RedisUsers.prefix(backend)) && !wanted.containsKey(user)) {
                    stale.add(user);
                }
            }
            store.delete(List.copyOf(stale));
            return Step.ok(CONDITION, "ACL users in place: gateways " + (gateways.isEmpty() ? "(none uses this backend)" : gateways)
                    + ", consumers " + (consumers.isEmpty() ? "(none)" : consumers)
                    + (stale.isEmpty() ? "" : "; removed " + stale.size() + " user(s) no longer needed"));
        } catch (RuntimeException e) {
            return Step.failed(CONDITION, "StoreRefused", "Redis: " + Redact.of(describe(e), admin.values()));
        }
    }

    private static List<ProvisionedConsumer> consumers(QueueBackendSpec.RedisProvision provision) {
        return provision.consumers() == null ? List.of() : provision.consumers();
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e ? message : e.getMessage() + " (" + message + ")";
    }
}
