package io.conduit.testsupport;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Kafka broker (KRaft, one node) for tests, found by the shared policy ({@link Resolver}): {@value #ENV_VAR}
 * ({@code host:port[,host:port...]}) if set, else a broker run by this JVM in a child JVM from Kafka's own jars
 * ({@code org.apache.kafka:kafka_2.13} on the test classpath) on free loopback ports. Get the shared one with
 * {@link TestServers#kafka()}.
 *
 * <p>A local broker keeps its log directory across {@link #stop()}/{@link #start()}, so what it acknowledged before an
 * outage is still there after it, as with a real broker restart.
 */
public final class KafkaBroker extends DelegatingTestServer {

    public static final String ENV_VAR = "CONDUIT_TEST_KAFKA_BOOTSTRAP";
    static final String NAME = "kafka";
    static final String BROKER_MAIN = "kafka.Kafka";
    static final int DEFAULT_PORT = 9092;
    static final String REMEDY = "add org.apache.kafka:kafka_2.13 (test scope, version from the root pom) to this module, or set "
            + ENV_VAR + "=host:port to a running broker";
    /** The one PLAIN user of a local broker's SASL listener. */
    public static final String PLAIN_USER = "conduit";
    public static final String PLAIN_PASSWORD = "conduit-plain-secret";
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;

    private final String saslBootstrapServers;

    KafkaBroker(TestServer server, String bootstrapServers, String saslBootstrapServers) {
        super(server);
        this.bootstrapServers = bootstrapServers;
        this.saslBootstrapServers = saslBootstrapServers;
    }

    /** Runs the whole policy against {@code env}: a broker, a skip, or a failure. */
    static Resolution<KafkaBroker> locate(Env env) {
        return Resolver.resolve(NAME, REMEDY, env.ci(), locators(env))
                .map(s -> s instanceof KafkaProcessServer p ? new KafkaBroker(s, p.bootstrapServers(), p.saslBootstrapServers())
                        : new KafkaBroker(s, bootstrapOf(env), null));
    }

    static List<Locator> locators(Env env) {
        return List.of(new EnvUrlLocator(NAME, ENV_VAR, KafkaBroker::parseBootstrap, env), KafkaBroker::localJvm);
    }

    private static String bootstrapOf(Env env) {
        return env.get(ENV_VAR).trim();
    }

    /** {@code host:port[,host:port...]}; the first one is the endpoint probed. */
    static Endpoint parseBootstrap(String bootstrap) {
        String first = bootstrap.split(",")[0].trim();
        if (first.contains("://")) {
            throw new IllegalArgumentException("expected host:port[,host:port...], not a URL: " + bootstrap);
        }
        int colon = first.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected host:port, got " + first);
        }
        String host = first.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(first.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port in " + first, e);
        }
        return new Endpoint(host, port, Endpoint.uri(NAME, host, port));
    }

    /** Kafka's broker main class on the test classpath means we can run one, in a child JVM of the same Java. */
    static Attempt localJvm() {
        try {
            Class.forName(BROKER_MAIN, false, KafkaBroker.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return new Attempt.Missed(BROKER_MAIN + " (org.apache.kafka:kafka_2.13) is not on the test classpath");
        }
        return new Attempt.Found(KafkaProcessServer.launch());
    }

    /** What producers and consumers connect to, e.g. {@code 127.0.0.1:41234}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * The SASL_PLAINTEXT listener of a broker this JVM runs (PLAIN user {@value #PLAIN_USER}, SCRAM users from
     * {@link #createScramUser}); null for a broker from {@value #ENV_VAR}, whose security is not ours to know.
     */
    public String saslBootstrapServers() {
        return saslBootstrapServers;
    }

    /** Creates (or updates) a SCRAM user, e.g. mechanism {@code SCRAM-SHA-512}. */
    public void createScramUser(String mechanism, String user, String password) {
        ScramMechanism scram = ScramMechanism.fromMechanismName(mechanism);
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(scram, 4096),
                    password))).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create SCRAM user " + user + " on " + this, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating SCRAM user " + user, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating SCRAM user " + user + " took longer than " + ADMIN_TIMEOUT, e);
        }
    }

    /** An admin client for this broker; close it when done. */
    public Admin admin() {
        return admin(bootstrapServers);
    }

    static Admin admin(String bootstrapServers) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        return Admin.create(props);
    }

    /** Creates the topic with {@code partitions} partitions (replication 1) unless it exists. */
    public void createTopic(String topic, int partitions) {
        createTopic(topic, partitions, Map.of());
    }

    /** Creates the topic with {@code partitions} partitions (replication 1) and topic {@code configs}, unless it exists. */
    public void createTopic(String topic, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs)))
                    .all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + " on " + this, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating topic " + topic + " on " + this + " took longer than " + ADMIN_TIMEOUT, e);
        }
    }











}
