package io.conduit.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * One Kafka node in KRaft combined mode (broker and controller), run as a child JVM from the test classpath
 * ({@code kafka.Kafka}), in its own temp dir on two fixed loopback ports. Fixed ports and a kept log dir make
 * {@link #stop()}/{@link #start()} an outage and a recovery of the same broker, as clients see it in production.
 * A child process rather than in-JVM: stopping it really closes its sockets, and its threads and heap stay out of the
 * test JVM.
 */
final class KafkaProcessServer implements TestServer {

    private static final String HOST = LocalBinaryServer.HOST;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final int TAIL_LINES = 40;

    private final Path workDir;
    private final int brokerPort;
    private final int controllerPort;
    private final int saslPort;
    private final AutoCloseable deleteWorkDir;
    private ManagedProcess process;
    private boolean closed;

    private KafkaProcessServer(Path workDir, int brokerPort, int controllerPort, int saslPort) {
        this.workDir = workDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.saslPort = saslPort;
        this.deleteWorkDir = () -> LocalBinaryServer.deleteRecursively(workDir);
        ShutdownCleanup.register(deleteWorkDir);
    }

    /** Writes the config, formats the log dir, starts the broker and waits until it serves requests. */
    static KafkaProcessServer launch() {
        Path workDir;
        try {
            workDir = Files.createTempDirectory("conduit-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp dir for kafka", e);
        }
        KafkaProcessServer server = new KafkaProcessServer(workDir, FreePort.find(), FreePort.find(), FreePort.find());
        try {
            server.writeConfig();
            server.format();
            server.start();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    /** The SASL_PLAINTEXT listener: PLAIN for {@link KafkaBroker#PLAIN_USER}, SCRAM for users created through the admin client. */
    String saslBootstrapServers() {
        return HOST + ":" + saslPort;
    }

    private Path config() {
        return workDir.resolve("server.properties");
    }

    private void writeConfig() {
        String properties = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + HOST + ":" + controllerPort,
                "listeners=PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort
                        + ",SASL_PLAINTEXT://" + HOST + ":" + saslPort,
                "advertised.listeners=PLAINTEXT://" + HOST + ":" + brokerPort + ",SASL_PLAINTEXT://" + HOST + ":" + saslPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
                // A SASL listener for clients, as managed clusters have: PLAIN with one fixed user, SCRAM with any
                // user a test creates (no authorizer, so an authenticated user may do anything).
                "sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                        + " required user_" + KafkaBroker.PLAIN_USER + "=\"" + KafkaBroker.PLAIN_PASSWORD + "\";",
                "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "log.dirs=" + workDir.resolve("data"),
                "num.partitions=1",
                "auto.create.topics.enable=true",
                // One node: every internal topic must make do with one replica.
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
        // Kafka logs through slf4j; whichever binding the test classpath has, keep the child's output to warnings.
        String logback = """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
                  <root level="WARN"><appender-ref ref="OUT"/></root>
                </configuration>
                """;
        try {
            Files.writeString(config(), properties);
            Files.writeString(workDir.resolve("logback.xml"), logback);
            // An argument file: the test classpath can be longer than a command line may be.
            Files.writeString(workDir.resolve("java.args"), "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\")
                    + "\"\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write kafka config in " + workDir, e);
        }
    }

    private List<String> javaArgs(String mainClass, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Dlogback.configurationFile=" + workDir.resolve("logback.xml"),
                "@" + workDir.resolve("java.args"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** {@code kafka-storage format}: a fresh cluster id and metadata log, once, before the first start. */
    private void format() {
        ManagedProcess formatter = Processes.start(Processes.java(javaArgs("kafka.tools.StorageTool", "format",
                "--cluster-id=" + clusterId(), "-c", config().toString())).directory(workDir.toFile()), workDir.resolve("format.log"));
        try {
            if (!formatter.process().waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                formatter.close();
                throw new IllegalStateException("formatting the kafka log dir took longer than " + START_TIMEOUT);
            }
            if (formatter.process().exitValue() != 0) {
                throw new IllegalStateException("formatting the kafka log dir failed:\n" + formatter.outputTail(TAIL_LINES));
            }
        } catch (InterruptedException e) {
            formatter.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting kafka's log dir", e);
        }
    }

    /** Kafka cluster ids are 16 random bytes in URL-safe base64 without padding. */
    /** Base64url of a random UUID, as Kafka's own tool makes them; it may start with '-', hence {@code --cluster-id=}. */
    private static String clusterId() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    @Override
    public String name() {
        return KafkaBroker.NAME;
    }

    @Override
    public Origin origin() {
        return Origin.LOCAL_BINARY;
    }

    @Override
    public URI uri() {
        return Endpoint.uri(KafkaBroker.NAME, HOST, brokerPort);
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return brokerPort;
    }

    @Override
    public boolean restartable() {
        return true;
    }

    @Override
    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        if (running()) {
            return;
        }
        if (Ports.isOpen(HOST, brokerPort) || Ports.isOpen(HOST, controllerPort) || Ports.isOpen(HOST, saslPort)) {
            throw new IllegalStateException("cannot start " + this + ": another process already listens on its ports");
        }
        ManagedProcess started = Processes.start(Processes.java(javaArgs(KafkaBroker.BROKER_MAIN, config().toString()))
                .directory(workDir.toFile()), workDir.resolve("kafka.log"));
        try {
            started.awaitPort(HOST, brokerPort, START_TIMEOUT);
            awaitServing(started);
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        process = started;
    }

    /** The port opens before the broker has registered; a cluster that lists the node is one that takes writes. */
    private void awaitServing(ManagedProcess started) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (Admin admin = KafkaBroker.admin(bootstrapServers())) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    // Not serving yet.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for kafka", e);
                }
                if (!started.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("kafka at " + bootstrapServers() + " did not start serving within "
                            + START_TIMEOUT + ". Last output (" + started.output() + "):\n" + started.outputTail(TAIL_LINES));
                }
                Ports.sleep(200);
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.stop(STOP_GRACE);
        process = null;
        Ports.awaitClosed(HOST, brokerPort, STOP_TIMEOUT);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            ShutdownCleanup.unregister(deleteWorkDir);
            LocalBinaryServer.deleteRecursively(workDir);
        }
    }

    @Override
    public String toString() {
        return "kafka (child JVM, KRaft) at " + bootstrapServers();
    }
}
