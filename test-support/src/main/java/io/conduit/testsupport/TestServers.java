package io.conduit.testsupport;

/**
 * The entry point for tests: one shared server of each kind per JVM (a test JVM runs one module's tests), found by
 * the policy in {@link Resolver}. When the server is unavailable the call throws: a skip
 * ({@link org.opentest4j.TestAbortedException}) normally, a {@link ServerUnavailableException} under {@code CI=true}.
 * Call it from {@code @BeforeAll}, {@code @BeforeEach} or a test, never from a static initializer.
 */
public final class TestServers {

    private static final Shared<RedisServer> REDIS = new Shared<>(() -> RedisServer.locate(Env.system()));
    private static final Shared<KafkaBroker> KAFKA = new Shared<>(() -> KafkaBroker.locate(Env.system()));

    /** Not a {@link Shared}: the class must load in modules without Fabric8 on their classpath. */
    private static Resolution<KubeCluster> kube;

    private static final Shared<S3Server> S3 = new Shared<>(() -> S3Server.locate(Env.system()));
    private static final Shared<RabbitMqServer> RABBITMQ = new Shared<>(() -> RabbitMqServer.locate(Env.system()));
    private static final Shared<NatsServer> NATS = new Shared<>(() -> NatsServer.locate(Env.system()));
    private static final Shared<MqttBroker> MQTT = new Shared<>(() -> MqttBroker.locate(Env.system()));

    private TestServers() {
    }

    /**
     * The shared Redis, running. Fault tests may {@code stop()} it (if {@code restartable()}) but must {@code start()}
     * it again when done; this method restarts it anyway if a test forgot.
     */
    public static RedisServer redis() {
        return REDIS.get();
    }

    /**
     * A Redis of the caller's own, for tests that would disturb others (close it when done). With
     * {@value RedisServer#ENV_VAR} set this is that same external server, and close() leaves it alone.
     */
    public static RedisServer newRedis() {
        return RedisServer.locate(Env.system()).get();
    }

    /**
     * The shared Kafka broker, running. Fault tests may {@code stop()} it (if {@code restartable()}) and must
     * {@code start()} it again; acknowledged records survive the restart.
     */
    public static KafkaBroker kafka() {
        return KAFKA.get();
    }

    /** The shared S3-compatible server, running (see {@link S3Server}); tests create their own buckets in it. */
    public static S3Server s3() {
        return S3.get();
    }

    /** An S3 server of the caller's own, for fault tests that stop it (close it when done). */
    public static S3Server newS3() {
        return S3Server.locate(Env.system()).get();
    }

    /** The shared RabbitMQ, running; fault tests that stop it must start it again. */
    public static RabbitMqServer rabbitmq() {
        return RABBITMQ.get();
    }

    /** A RabbitMQ of the caller's own, for tests that would disturb others (close it when done). */
    public static RabbitMqServer newRabbitmq() {
        return RabbitMqServer.locate(Env.system()).get();
    }

    /** The shared NATS server with JetStream, running; fault tests that stop it must start it again. */
    public static NatsServer nats() {
        return NATS.get();
    }

    /** A NATS server of the caller's own, for tests that would disturb others (close it when done). */
    public static NatsServer newNats() {
        return NatsServer.locate(Env.system()).get();
    }

    /** The shared MQTT broker, running; fault tests that stop it must start it again. */
    public static MqttBroker mqtt() {
        return MQTT.get();
    }

    /** An MQTT broker of the caller's own, for tests that would disturb others (close it when done). */
    public static MqttBroker newMqtt() {
        return MqttBroker.locate(Env.system()).get();
    }

    /**
     * The shared real Kubernetes API server ({@link KubeCluster}), started on first use and stopped at JVM exit.
     * Tests share it: each works in namespaces and names of its own. Needs Fabric8's client and kube-api-test
     * on the test classpath.
     */
    public static synchronized KubeCluster kube() {
        if (kube == null) {
            kube = KubeCluster.locate(Env.system());
        }
        return kube.get();
    }
}
