package io.conduit.render;

import io.conduit.api.Durations;
import io.conduit.api.Quantities;
import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.BlobBackendSpec;
import io.conduit.api.v1alpha1.LocalObjectReference;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.QueueBackendSpec;
import io.conduit.api.v1alpha1.SecretRef;
import io.conduit.config.BlobBackendConfig;
import io.conduit.config.QueueBackendConfig;
import io.conduit.template.Scope;
import io.conduit.template.StringTemplate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns one backend resource into its config form, collecting its credentials. Every check the
 * CRD schema makes is repeated here, because standalone folders never meet an API server.
 */
final class BackendRenderer {
    static final long DEFAULT_PART_SIZE = 8L << 20;
    static final long MIN_PART_SIZE = 5L << 20;
    /** When a backend names no maxSize, the gateway's own maxBodySize applies; this is the ceiling of ceilings. */
    static final long UNLIMITED = Long.MAX_VALUE;

    private final Secrets secrets;
    /** The gateway rendered for ({@code namespace/name}), or null without one: provisioned identities are per gateway. */
    private final String gatewayNamespace;
    private final String gatewayName;

    BackendRenderer(Secrets secrets) {
        this(secrets, null, null);
    }

    BackendRenderer(Secrets secrets, String gatewayNamespace, String gatewayName) {
        this.secrets = secrets;
        this.gatewayNamespace = gatewayNamespace;
        this.gatewayName = gatewayName;
    }

    /** A rendered backend, or the problem that keeps it out. */
    record Rendered<T>(T config, Map<String, Map<String, String>> credentials, Problem problem) {
        boolean ok() {
            return problem == null;
        }
    }

    Rendered<BlobBackendConfig> blob(BlobBackend resource) {
        ResourceId id = ResourceId.of(resource);
        BlobBackendSpec spec = resource.getSpec();
        try {
            require(spec != null, "spec is required");
            require(spec.type() != null, "spec.type is required (s3 or local)");
            long maxSize = spec.maxSize() == null ? UNLIMITED : Quantities.parseBytes(spec.maxSize());
            Long presignTtl = spec.presign() == null || spec.presign().ttl() == null ? null
                    : Durations.parse(spec.presign().ttl()).toMillis();
            boolean redirect = spec.presign() != null && Boolean.TRUE.equals(spec.presign().redirect());
            require(!redirect || presignTtl != null, "presign.redirect needs presign.ttl");
            List<LocalObjectReference> refs = spec.mirrorRefs() == null ? List.of() : spec.mirrorRefs();
            require(refs.stream().allMatch(r -> r != null && notBlank(r.name())), "mirrorRefs[].name is required");
            require(refs.size() <= 16, "mirrorRefs holds at most 16 backends");
            List<String> mirrors = refs.stream().map(LocalObjectReference::name).toList();
            String name = resource.getMetadata().getName();
            require(!mirrors.contains(name), "mirrorRefs cannot name the backend itself");
            require(mirrors.stream().distinct().count() == mirrors.size(), "mirrorRefs names a backend twice");
            return switch (spec.type()) {
                case LOCAL -> {
                    require(spec.local() != null && notBlank(spec.local().path()), "local.path is required when type is local");
                    require(spec.keyTemplate() == null && !Boolean.FALSE.equals(spec.contentAddressed()),
                            "local backends are content-addressed (sha256/ab/cd/<hash>); keyTemplate does not apply");
                    require(spec.presign() == null, "presign applies to s3 backends only");
                    yield new Rendered<>(new BlobBackendConfig(name, spec.type(),
                            new BlobBackendConfig.Local(spec.local().path()), null, null, true, maxSize, null, false, mirrors),
                            Map.of(), null);
                }
                case S3 -> {
                    BlobBackendSpec.S3 s3 = spec.s3();
                    require(s3 != null && notBlank(s3.bucket()), "s3.bucket is required when type is s3");
                    boolean contentAddressed = Boolean.TRUE.equals(spec.contentAddressed());
                    require(!(contentAddressed && spec.keyTemplate() != null), "keyTemplate and contentAddressed are exclusive");
                    String keyTemplate = contentAddressed ? null
                            : spec.keyTemplate() == null ? BlobBackendConfig.DEFAULT_KEY_TEMPLATE : spec.keyTemplate();
                    if (keyTemplate != null) {
                        StringTemplate.compile(keyTemplate, Scope.backendKey(), "keyTemplate");
                    }
                    long partSize = s3.partSize() == null ? DEFAULT_PART_SIZE : Quantities.parseBytes(s3.partSize());
                    require(partSize >= MIN_PART_SIZE, "s3.partSize must be at least 5Mi (an S3 rule for all but the last part)");
                    String credentialsKey = null;
                    Map<String, Map<String, String>> credentials = Map.of();
                    if (s3.credentialsSecretRef() != null) {
                        credentialsKey = "blob." + name;
                        Map<String, String> values = secret(id, s3.credentialsSecretRef(), "accessKeyId", "secretAccessKey");
                        credentials = Map.of(credentialsKey, values);
                    }
                    yield new Rendered<>(new BlobBackendConfig(name, spec.type(), null,
                            new BlobBackendConfig.S3(s3.bucket(), s3.region() == null ? "us-east-1" : s3.region(), s3.endpoint(),
                                    Boolean.TRUE.equals(s3.forcePathStyle()), s3.prefix(), credentialsKey, partSize,
                                    !Boolean.FALSE.equals(s3.sendChecksum())),
                            keyTemplate, contentAddressed, maxSize, presignTtl, redirect, mirrors), credentials, null);
                }
            };
        } catch (MissingSecret e) {
            return new Rendered<>(null, Map.of(), new Problem(id, Problem.SECRET_NOT_FOUND, e.getMessage()));
        } catch (IllegalArgumentException e) {
            return new Rendered<>(null, Map.of(), new Problem(id, Problem.INVALID, e.getMessage()));
        }
    }

    Rendered<QueueBackendConfig> queue(QueueBackend resource) {
        ResourceId id = ResourceId.of(resource);
        QueueBackendSpec spec = resource.getSpec();
        try {
            require(spec != null, "spec is required");
            require(spec.type() != null, "spec.type is required (redis, kafka or spool)");
            String name = resource.getMetadata().getName();
            long ttl = spec.idempotency() == null || spec.idempotency().ttl() == null
                    ? QueueBackendConfig.DEFAULT_IDEMPOTENCY_TTL_MILLIS
                    : Durations.parse(spec.idempotency().ttl()).toMillis();
            QueueBackendConfig.JobDefaults defaults = jobDefaults(spec.jobDefaults());
            return switch (spec.type()) {
                case SPOOL -> {
                    require(spec.spool() != null && notBlank(spec.spool().path()), "spool.path is required when type is spool");
                    yield new Rendered<>(new QueueBackendConfig(name, spec.type(), new QueueBackendConfig.Spool(spec.spool().path()),
                            null, null, defaults, ttl), Map.of(), null);
                }
                case REDIS -> {
                    QueueBackendSpec.Redis r = spec.redis();
                    require(r != null && notBlank(r.url()), "redis.url is required when type is redis");
                    require(r.url().startsWith("redis://") || r.url().startsWith("rediss://"),
                            "redis.url must start with redis:// or rediss://");
                    QueueBackendSpec.RedisMode mode = r.mode() == null ? QueueBackendSpec.RedisMode.BULLMQ : r.mode();
                    String credentialsKey = null;
                    Map<String, Map<String, String>> credentials = Map.of();
                    if (ProvisionedCredentials.redisAclUsers(r)) {
                        // The gateway's own ACL user, never the admin credentials the operator provisions it with.
                        require(gatewayName != null, "redis.provision.aclUsers needs an EdgeGateway (the operator provisions a user per gateway)");
                        credentialsKey = "queue." + name;
                        String provisioned = ProvisionedCredentials.redisGatewaySecret(name, gatewayNamespace, gatewayName);
                        credentials = Map.of(credentialsKey, provisionedSecret(id, provisioned));
                    } else if (r.credentialsSecretRef() != null) {
                        credentialsKey = "queue." + name;
                        credentials = Map.of(credentialsKey, secret(id, r.credentialsSecretRef(), "password"));
                    }
                    yield new Rendered<>(new QueueBackendConfig(name, spec.type(), null,
                            new QueueBackendConfig.Redis(r.url(), Boolean.TRUE.equals(r.tls()) || r.url().startsWith("rediss://"),
                                    credentialsKey, mode, r.prefix() == null ? defaultPrefix(mode) : r.prefix(), r.streamMaxLen()),
                            null, defaults, ttl), credentials, null);
                }
                case KAFKA -> {
                    QueueBackendSpec.Kafka k = spec.kafka();
                    require(k != null && notBlank(k.bootstrapServers()), "kafka.bootstrapServers is required when type is kafka");
                    QueueBackendSpec.KafkaSecurity sec = k.security();
                    QueueBackendSpec.SecurityProtocol protocol = sec == null || sec.protocol() == null
                            ? QueueBackendSpec.SecurityProtocol.PLAINTEXT : sec.protocol();
                    boolean sasl = protocol == QueueBackendSpec.SecurityProtocol.SASL_PLAINTEXT
                            || protocol == QueueBackendSpec.SecurityProtocol.SASL_SSL;
                    require(!sasl || k.credentialsSecretRef() != null,
                            "kafka.credentialsSecretRef (username, password) is required with security.protocol " + protocol);
                    String credentialsKey = null;
                    Map<String, Map<String, String>> credentials = new HashMap<>();
                    if (k.credentialsSecretRef() != null) {
                        credentialsKey = "queue." + name;
                        // TLS alone needs no user: a Secret with just ca.crt (or a client certificate) will do.
                        credentials.put(credentialsKey, sasl ? secret(id, k.credentialsSecretRef(), "username", "password")
                                : secret(id, k.credentialsSecretRef()));
                    }
                    QueueBackendConfig.Redis idempotencyRedis = null;
                    if (k.idempotencyRedis() != null) {
                        QueueBackendSpec.IdempotencyRedis r = k.idempotencyRedis();
                        require(notBlank(r.url()) && (r.url().startsWith("redis://") || r.url().startsWith("rediss://")),
                                "kafka.idempotencyRedis.url must start with redis:// or rediss://");
                        String redisKey = null;
                        if (r.credentialsSecretRef() != null) {
                            redisKey = "queue." + name + ".idempotency";
                            credentials.put(redisKey, secret(id, r.credentialsSecretRef(), "password"));
                        }
                        idempotencyRedis = new QueueBackendConfig.Redis(r.url(), r.url().startsWith("rediss://"), redisKey, null,
                                r.prefix() == null ? "conduit" : r.prefix(), null);
                    }
                    QueueBackendSpec.KafkaProducer p = k.producer();
                    yield new Rendered<>(new QueueBackendConfig(name, spec.type(), null, null,
                            new QueueBackendConfig.Kafka(k.bootstrapServers(), protocol,
                                    sec == null ? null : sec.saslMechanism(), credentialsKey,
                                    p == null ? null : p.lingerMs(), p == null ? null : p.batchSize(),
                                    p == null ? null : p.compression(), idempotencyRedis),
                            defaults, ttl), Map.copyOf(credentials), null);
                }
            };
        } catch (MissingSecret e) {
            return new Rendered<>(null, Map.of(), new Problem(id, Problem.SECRET_NOT_FOUND, e.getMessage()));
        } catch (IllegalArgumentException e) {
            return new Rendered<>(null, Map.of(), new Problem(id, Problem.INVALID, e.getMessage()));
        }
    }

    private static QueueBackendConfig.JobDefaults jobDefaults(QueueBackendSpec.JobDefaults d) {
        if (d == null) {
            return QueueBackendConfig.JobDefaults.NONE;
        }
        boolean deadLetter = d.deadLetter() == null || !Boolean.FALSE.equals(d.deadLetter().enabled());
        String suffix = d.deadLetter() == null || d.deadLetter().suffix() == null ? "-dlq" : d.deadLetter().suffix();
        return new QueueBackendConfig.JobDefaults(d.attempts(), d.backoff(), d.removeOnComplete(), d.removeOnFail(),
                deadLetter, suffix);
    }

    private Map<String, String> secret(ResourceId owner, SecretRef ref, String... requiredKeys) {
        require(ref.name() != null, "credentialsSecretRef.name is required");
        Map<String, String> values = secrets.values(owner.namespace(), ref.name())
                .orElseThrow(() -> new MissingSecret("Secret " + owner.namespace() + "/" + ref.name() + " not found"));
        for (String key : requiredKeys) {
            if (!values.containsKey(key)) {
                throw new MissingSecret("Secret " + owner.namespace() + "/" + ref.name() + " has no key " + key);
            }
        }
        return values;
    }

    private Map<String, String> provisionedSecret(ResourceId owner, String name) {
        Map<String, String> values = secrets.values(owner.namespace(), name).orElse(Map.of());
        if (!values.containsKey("username") || !values.containsKey("password")) {
            throw new MissingSecret("the ACL user of this gateway is not provisioned yet (Secret " + owner.namespace() + "/" + name
                    + "; see the QueueBackend's CredentialsReady condition)");
        }
        return values;
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * BullMQ's own prefix for its layout, so BullMQ workers find the jobs unconfigured; a Conduit prefix for streams
     * ({@code conduit:<queue>}), which are no BullMQ structure and should not sit in BullMQ's namespace.
     */
    static String defaultPrefix(QueueBackendSpec.RedisMode mode) {
        return mode == QueueBackendSpec.RedisMode.STREAMS ? "conduit" : "bull";
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static final class MissingSecret extends RuntimeException {
        MissingSecret(String message) {
            super(message);
        }
    }
}
