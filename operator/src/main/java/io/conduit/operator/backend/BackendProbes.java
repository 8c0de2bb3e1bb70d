package io.conduit.operator.backend;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.BlobBackendSpec;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.QueueBackendSpec;
import io.conduit.api.v1alpha1.SecretRef;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/** Picks the check for a backend's type and hands it the values of the backend's credentials Secret. */
final class BackendProbes {
    private BackendProbes() {
    }

    static Probe blob(BlobBackend backend, KubernetesClient client) {
        BlobBackendSpec spec = backend.getSpec();
        if (spec == null || spec.type() == null) {
            return Probe.failed("Invalid", "spec.type is required (s3 or local)");
        }
        return switch (spec.type()) {
            case LOCAL -> Probe.ok("a local directory in each gateway pod: nothing for the operator to reach");
            case S3 -> {
                BlobBackendSpec.S3 s3 = spec.s3();
                if (s3 == null || s3.bucket() == null) {
                    yield Probe.failed("Invalid", "s3.bucket is required when type is s3");
                }
                Credentials c = credentials(client, backend.getMetadata().getNamespace(), s3.credentialsSecretRef(),
                        "accessKeyId", "secretAccessKey");
                yield c.problem() != null ? c.problem()
                        : S3Check.check(s3.bucket(), s3.region(), s3.endpoint(), Boolean.TRUE.equals(s3.forcePathStyle()), c.values());
            }
        };
    }

    static Probe queue(QueueBackend backend, KubernetesClient client) {
        QueueBackendSpec spec = backend.getSpec();
        if (spec == null || spec.type() == null) {
            return Probe.failed("Invalid", "spec.type is required (redis, kafka or spool)");
        }
        String ns = backend.getMetadata().getNamespace();
        return switch (spec.type()) {
            case SPOOL -> Probe.ok("a local directory in each gateway pod: nothing for the operator to reach");
            case REDIS -> {
                QueueBackendSpec.Redis r = spec.redis();
                if (r == null || r.url() == null) {
                    yield Probe.failed("Invalid", "redis.url is required when type is redis");
                }
                Credentials c = credentials(client, ns, r.credentialsSecretRef(), "password");
                yield c.problem() != null ? c.problem() : RedisCheck.check(r.url(), Boolean.TRUE.equals(r.tls()), c.values());
            }
            case KAFKA -> {
                QueueBackendSpec.Kafka k = spec.kafka();
                if (k == null || k.bootstrapServers() == null) {
                    yield Probe.failed("Invalid", "kafka.bootstrapServers is required when type is kafka");
                }
                Credentials c = credentials(client, ns, k.credentialsSecretRef(), "username", "password");
                yield c.problem() != null ? c.problem() : KafkaCheck.check(k.bootstrapServers(),
                        k.security() == null ? null : k.security().protocol(),
                        k.security() == null ? null : k.security().saslMechanism(), c.values());
            }
        };
    }

    private record Credentials(Map<String, String> values, Probe problem) {
    }

    private static Credentials credentials(KubernetesClient client, String ns, SecretRef ref, String... required) {
        if (ref == null || ref.name() == null) {
            return new Credentials(Map.of(), null);
        }
        Secret secret = client.secrets().inNamespace(ns).withName(ref.name()).get();
        if (secret == null) {
            return new Credentials(Map.of(), Probe.failed("SecretNotFound", "Secret " + ns + "/" + ref.name() + " not found"));
        }
        Map<String, String> values = new TreeMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> values.put(k, new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        for (String key : required) {
            if (!values.containsKey(key)) {
                return new Credentials(Map.of(), Probe.failed("SecretNotFound", "Secret " + ns + "/" + ref.name() + " has no key " + key));
            }
        }
        return new Credentials(values, null);
    }
}
