package io.conduit.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real RabbitMQ for tests, found by the shared policy ({@link Resolver}): {@value #ENV_VAR} if set, else
 * {@code rabbitmq-server} (Debian's package) started on free loopback ports with its data in a temp dir. Get the shared
 * one with {@link TestServers#rabbitmq()}.
 *
 * <p>A local broker keeps its data across {@link #stop()}/{@link #start()}, so persistent messages in durable queues
 * are still there after an outage, as with a real broker restart. Its one user is RabbitMQ's {@code guest}, which the
 * broker admits from loopback only.
 */
public final class RabbitMqServer extends DelegatingTestServer {

    public static final String ENV_VAR = "CONDUIT_TEST_RABBITMQ_URL";
    static final String NAME = "rabbitmq";
    static final String PROGRAM = "rabbitmq-server";
    static final int DEFAULT_PORT = 5672;
    public static final String LOCAL_USER = "guest";
    public static final String LOCAL_PASSWORD = "guest";
    static final String REMEDY = "install it (apt-get install -y rabbitmq-server), or set " + ENV_VAR
            + "=amqp://user:pass@host:port to a running RabbitMQ";
    /** /usr/sbin/rabbitmq-server is a wrapper that switches to the rabbitmq user; the real script is here. */
    private static final List<Path> SCRIPT_DIRS = List.of(Path.of("/usr/lib/rabbitmq/bin"));
    /** An Erlang VM booting the broker takes 5-20 s on two busy cores. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    RabbitMqServer(TestServer server) {
        super(server);
    }

    static Resolution<RabbitMqServer> locate(Env env) {
        return Resolver.resolve(NAME, REMEDY, env.ci(), locators(env)).map(RabbitMqServer::new);
    }

    static List<Locator> locators(Env env) {
        return List.of(new EnvUrlLocator(NAME, ENV_VAR, RabbitMqServer::parseUrl, env), localBinary(env));
    }

    static Locator localBinary(Env env) {
        return new LocalBinaryLocator(NAME, PROGRAM, RabbitMqServer::localCommand,
                (host, port) -> URI.create("amqp://" + LOCAL_USER + ":" + LOCAL_PASSWORD + "@" + host + ":" + port), env,
                SCRIPT_DIRS, START_TIMEOUT);
    }

    static Endpoint parseUrl(String url) {
        return Endpoint.parse(url, DEFAULT_PORT, "amqp", "amqps");
    }

    /**
     * Everything the broker writes goes to {@code workDir}, and its Erlang ports (distribution, epmd) are free ones of
     * its own, so it never meets the machine's own RabbitMQ or another test's.
     */
    static List<String> localCommand(Path script, int port, Path workDir) throws IOException {
        int distributionPort = FreePort.find();
        int epmdPort = FreePort.find();
        Files.writeString(workDir.resolve("enabled_plugins"), "[].\n");
        // The Erlang port mapper daemonizes and outlives the broker; stop it with the JVM.
        ShutdownCleanup.register(() -> stopEpmd(epmdPort));
        return List.of("/usr/bin/env",
                "HOME=" + workDir,
                "RABBITMQ_NODENAME=conduit-" + port + "@localhost",
                "RABBITMQ_NODE_IP_ADDRESS=" + LocalBinaryServer.HOST,
                "RABBITMQ_NODE_PORT=" + port,
                "RABBITMQ_DIST_PORT=" + distributionPort,
                "ERL_EPMD_PORT=" + epmdPort,
                "RABBITMQ_MNESIA_BASE=" + workDir.resolve("mnesia"),
                "RABBITMQ_LOG_BASE=" + workDir.resolve("log"),
                "RABBITMQ_ENABLED_PLUGINS_FILE=" + workDir.resolve("enabled_plugins"),
                "RABBITMQ_CONFIG_FILE=" + workDir.resolve("rabbitmq"),
                "RABBITMQ_ADVANCED_CONFIG_FILE=" + workDir.resolve("advanced.config"),
                script.toString());
    }

    private static void stopEpmd(int epmdPort) throws Exception {
        Path epmd = Path.of("/usr/bin/epmd");
        if (Files.isExecutable(epmd)) {
            new ProcessBuilder(epmd.toString(), "-port", Integer.toString(epmdPort), "-kill").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The AMQP URI a client connects with ({@code amqp://user:pass@host:port}). */
    public URI amqpUri() {
        return server.uri();
    }
}
