package io.conduit.gateway.config;

import io.conduit.config.BlobBackendConfig;
import io.conduit.config.GatewayConfig;
import io.conduit.config.GatewayCredentials;
import io.conduit.config.QueueBackendConfig;
import io.conduit.gateway.blob.BlobSink;
import io.conduit.gateway.blob.local.LocalBlobSink;
import io.conduit.gateway.blob.mirror.MirrorEvents;
import io.conduit.gateway.blob.mirror.MirroredBlobSink;
import io.conduit.gateway.blob.s3.S3BlobSink;
import io.conduit.gateway.edge.EdgeGuard;
import io.conduit.gateway.edge.EdgePolicies;
import io.conduit.gateway.queue.QueueSink;
import io.conduit.gateway.queue.kafka.KafkaQueueSink;
import io.conduit.gateway.queue.redis.BullmqQueueSink;
import io.conduit.gateway.queue.redis.StreamsQueueSink;
import io.conduit.gateway.queue.spool.SpoolQueueSink;
import io.conduit.gateway.redis.RedisConnection;
import io.conduit.gateway.routing.RouteTable;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link LiveConfig} from a config. Sinks whose settings did not change are taken over from
 * the previous LiveConfig (connections survive a reload); the rest are new. Blocking: call it off
 * the event loop.
 */
public final class SinkFactory {
    /** The gateway's data folder: where versions before the bucket spool kept an S3 backend's mirror spool. */
    public static final String DATA_DIR_PROPERTY = "conduit.dataDir";
    public static final String DATA_DIR_ENV = "CONDUIT_DATA_DIR";
    public static final String MIRROR_LEASE_PROPERTY = "conduit.mirrorLeaseMillis";
    public static final String MIRROR_LEASE_ENV = "CONDUIT_MIRROR_LEASE_MILLIS";
    static final Duration DEFAULT_MIRROR_LEASE = Duration.ofMinutes(1);
    static final Duration MIN_MIRROR_LEASE = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final MirrorEvents mirrorEvents;
    private final EdgeGuard edge;

    public SinkFactory(Vertx vertx) {
        this(vertx, MirrorEvents.NONE, new EdgeGuard(vertx));
    }

    /** {@code edge} compiles each built config's edge policies (and keeps the state they share across configs). */
    public SinkFactory(Vertx vertx, MirrorEvents mirrorEvents, EdgeGuard edge) {
        this.vertx = vertx;
        this.mirrorEvents = mirrorEvents;
        this.edge = edge;
    }

    /** The gateway's data folder: system property, else environment, else {@code data} in the working folder. */
    static Path dataDir() {
        String dir = System.getProperty(DATA_DIR_PROPERTY, System.getenv(DATA_DIR_ENV));
        return Path.of(dir == null || dir.isBlank() ? "data" : dir);
    }

    /**
     * How long a replica's mirror heartbeat may go unrenewed before the others take over the copies it
     * owed: system property, else environment, else a minute.
     */
    static Duration mirrorLease() {
        String millis = System.getProperty(MIRROR_LEASE_PROPERTY, System.getenv(MIRROR_LEASE_ENV));
        if (millis == null || millis.isBlank()) {
            return DEFAULT_MIRROR_LEASE;
        }
        try {
            Duration lease = Duration.ofMillis(Long.parseLong(millis.strip()));
            if (lease.compareTo(MIN_MIRROR_LEASE) >= 0) {
                return lease;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(MIRROR_LEASE_ENV + " (" + MIRROR_LEASE_PROPERTY + ") must be a number of"
                + " milliseconds, at least " + MIN_MIRROR_LEASE.toMillis() + "; got " + millis);
    }

    /**
     * One spool folder per backend: beside a local backend's blobs. An S3 backend keeps its spool in its
     * bucket; this folder under the data folder is where earlier versions kept it.
     */
    static Path mirrorSpool(BlobBackendConfig b) {
        return b.local() != null ? Path.of(b.local().path()).resolve(".mirror-spool")
                : dataDir().resolve("mirror-spool").resolve(b.name());
    }

    /** Why a config cannot run, in the words /admin/config shows. */
    public static final class InvalidConfigException extends Exception {
        private final List<ConfigProblem> problems;

        public InvalidConfigException(List<ConfigProblem> problems) {
            super(problems.size() + " problem(s): " + problems.get(0).message());
            this.problems = List.copyOf(problems);
        }

        public List<ConfigProblem> problems() {
            return problems;
        }
    }

    LiveConfig build(GatewayConfig config, GatewayCredentials credentials, LiveConfig previous,
                     Map<BlobBackendConfig, BlobSink> reusableBlobs, Map<QueueBackendConfig, QueueSink> reusableQueues)
            throws InvalidConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        RouteTable table = null;
        try {
            table = RouteTable.compile(config.routes());
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(null, null, "Invalid", e.getMessage()));
        }
        problems.addAll(EdgePolicyCheck.problems(config, credentials));
        config.routes().forEach(r -> {
            List<String> missing = new ArrayList<>();
            if (r.blob() != null && config.blobBackend(r.blob().backend()).isEmpty()) {
                missing.add("BlobBackend " + r.blob().backend());
            }
            if (r.queue() != null && config.queueBackend(r.queue().backend()).isEmpty()) {
                missing.add("QueueBackend " + r.queue().backend());
            }
            if (r.onComplete() != null && config.queueBackend(r.onComplete().backend()).isEmpty()) {
                missing.add("QueueBackend " + r.onComplete().backend());
            }
            missing.forEach(m -> problems.add(new ConfigProblem(null, "RouteRule " + r.id(), "BackendNotFound",
                    m + " is not in the config")));
        });
        for (BlobBackendConfig b : config.blobBackends()) {
            for (String m : b.mirrors() == null ? List.<String>of() : b.mirrors()) {
                if (m.equals(b.name())) {
                    problems.add(new ConfigProblem(null, "BlobBackend " + b.name(), "Invalid", "a backend cannot mirror itself"));
                } else if (config.blobBackend(m).isEmpty()) {
                    problems.add(new ConfigProblem(null, "BlobBackend " + b.name(), "BackendNotFound",
                            "mirror BlobBackend " + m + " is not in the config"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        Map<String, BlobSink> blobs = new HashMap<>();
        Map<String, QueueSink> queues = new HashMap<>();
        try {
            for (BlobBackendConfig b : config.blobBackends()) {
                BlobSink reused = reusableBlobs.get(b);
                // Same settings but rotated S3 keys: a new client, so the new keys are used.
                if (reused != null && b.s3() != null && previous != null
                        && !previous.credentials().get(b.s3().credentialsKey()).equals(credentials.get(b.s3().credentialsKey()))) {
                    reused = null;
                }
                blobs.put(b.name(), reused != null ? reused : mirrored(b, blobSink(b, credentials, config)));
            }
            for (QueueBackendConfig q : config.queueBackends()) {
                QueueSink reused = reusableQueues.get(q);
                // Same settings but rotated credentials: a new connection, so the new password is used.
                if (reused != null && !sameCredentials(q, previous, credentials)) {
                    reused = null;
                }
                queues.put(q.name(), reused != null ? reused : queueSink(q, credentials, config));
            }
            EdgePolicies policies = edge.compile(config, credentials);
            // Last, once nothing can fail: a reused backend must not be pointed at mirrors of a refused config.
            useMirrors(blobs);
            return new LiveConfig(config, credentials, table, blobs, queues, policies);
        } catch (IOException | RuntimeException e) {
            // Close only what was created for this attempt; reused sinks still serve the current config.
            blobs.values().stream().filter(s -> !reusableBlobs.containsValue(s)).forEach(BlobSink::close);
            queues.values().stream().filter(s -> !reusableQueues.containsValue(s)).forEach(QueueSink::close);
            throw new InvalidConfigException(List.of(new ConfigProblem(null, null, "BackendNotReady",
                    "cannot open a backend: " + e.getMessage())));
        }
    }

    private BlobSink blobSink(BlobBackendConfig b, GatewayCredentials credentials, GatewayConfig config) throws IOException {
        return switch (b.type()) {
            case LOCAL -> new LocalBlobSink(vertx, b.name(), Path.of(b.local().path()));
            // Each S3 call, retries included, ends within the request timeout; the request then answers 503.
            case S3 -> new S3BlobSink(vertx, b, credentials.get(b.s3().credentialsKey()),
                    Duration.ofMillis(config.edge().limits().requestTimeoutMillis()),
                    dataDir().resolve("s3-aborts").resolve(b.name()));
        };
    }

    /** A backend with mirrors gets its copy queue; one without is served as it is. */
    private BlobSink mirrored(BlobBackendConfig b, BlobSink sink) throws IOException {
        if (b.mirrors() == null || b.mirrors().isEmpty()) {
            return sink;
        }
        try {
            return new MirroredBlobSink(vertx, sink, b.mirrors(), mirrorSpool(b), mirrorLease(), mirrorEvents);
        } catch (IOException | RuntimeException e) {
            sink.close();
            throw e;
        }
    }

    /** Mirrors copy into the mirrors' own stores (never through their mirrors) as this config has them. */
    private static void useMirrors(Map<String, BlobSink> blobs) {
        blobs.values().forEach(s -> {
            if (s instanceof MirroredBlobSink mirrored) {
                Map<String, BlobSink> targets = new HashMap<>();
                mirrored.mirrorNames().forEach(m -> {
                    BlobSink target = blobs.get(m);
                    targets.put(m, target instanceof MirroredBlobSink other ? other.primary() : target);
                });
                mirrored.useMirrors(targets);
            }
        });
    }

    private QueueSink queueSink(QueueBackendConfig q, GatewayCredentials credentials, GatewayConfig config)
            throws IOException {
        return switch (q.type()) {
            case SPOOL -> new SpoolQueueSink(vertx, q.name(), Path.of(q.spool().path()), q.idempotencyTtlMillis());
            case REDIS -> redisSink(q, credentials.get(q.redis().credentialsKey()),
                    commandTimeout(config.edge().limits().requestTimeoutMillis()));
            case KAFKA -> KafkaQueueSink.create(vertx, q.name(), q.kafka(), credentials.get(q.kafka().credentialsKey()),
                    credentials.get(q.kafka().idempotencyRedis() == null ? null : q.kafka().idempotencyRedis().credentialsKey()),
                    config.edge().limits().requestTimeoutMillis(), q.idempotencyTtlMillis());
        };
    }

    private QueueSink redisSink(QueueBackendConfig q, Map<String, String> credentials, Duration commandTimeout) {
        QueueBackendConfig.Redis r = q.redis();
        RedisConnection connection = new RedisConnection(vertx, r, credentials, commandTimeout);
        return switch (r.mode()) {
            case BULLMQ -> new BullmqQueueSink(vertx, q.name(), r.prefix(), q.idempotencyTtlMillis(), connection);
            case STREAMS -> new StreamsQueueSink(vertx, q.name(), r.prefix(), r.streamMaxLen(), q.idempotencyTtlMillis(),
                    connection);
        };
    }

    /**
     * A quarter of the request timeout (at most 5s, at least 100ms): a hung Redis then fails a command
     * early enough for the request's retries and its 503 to fit inside the request deadline.
     */
    static Duration commandTimeout(long requestTimeoutMillis) {
        return Duration.ofMillis(Math.max(100, Math.min(5_000, requestTimeoutMillis / 4)));
    }

    private static boolean sameCredentials(QueueBackendConfig q, LiveConfig previous, GatewayCredentials credentials) {
        String key = q.redis() != null ? q.redis().credentialsKey() : q.kafka() != null ? q.kafka().credentialsKey() : null;
        if (previous == null) {
            return true;
        }
        // A kafka backend also holds a connection to its idempotency Redis, with credentials of their own.
        String redisKey = q.kafka() != null && q.kafka().idempotencyRedis() != null
                ? q.kafka().idempotencyRedis().credentialsKey() : null;
        return same(key, previous, credentials) && same(redisKey, previous, credentials);
    }

    private static boolean same(String key, LiveConfig previous, GatewayCredentials credentials) {
        return key == null || previous.credentials().get(key).equals(credentials.get(key));
    }
}
