package io.conduit.testsupport;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * A real NATS server with JetStream for tests, found by the shared policy ({@link Resolver}): {@value #ENV_VAR} if set,
 * else {@code nats-server -js} (Debian's package) on a free loopback port, its JetStream store in a temp dir. Get the
 * shared one with {@link TestServers#nats()}.
 *
 * <p>A local server requires {@value #LOCAL_USER}/{@value #LOCAL_PASSWORD}, so a wrong password is refused as in
 * production, and keeps its store across {@link #stop()}/{@link #start()}: what JetStream acknowledged survives.
 */
public final class NatsServer extends DelegatingTestServer {

    public static final String ENV_VAR = "CONDUIT_TEST_NATS_URL";
    static final String NAME = "nats";
    static final String PROGRAM = "nats-server";
    static final int DEFAULT_PORT = 4222;
    public static final String LOCAL_USER = "conduit";
    public static final String LOCAL_PASSWORD = "conduit-nats-secret";
    static final String REMEDY = "install it (apt-get install -y nats-server), or set " + ENV_VAR
            + "=nats://user:pass@host:port to a running NATS server with JetStream";

    NatsServer(TestServer server) {
        super(server);
    }

    static Resolution<NatsServer> locate(Env env) {
        return Resolver.resolve(NAME, REMEDY, env.ci(), locators(env)).map(NatsServer::new);
    }

    static List<Locator> locators(Env env) {
        return List.of(new EnvUrlLocator(NAME, ENV_VAR, url -> Endpoint.parse(url, DEFAULT_PORT, "nats", "tls"), env),
                localBinary(env));
    }

    static Locator localBinary(Env env) {
        return new LocalBinaryLocator(NAME, PROGRAM, NatsServer::localCommand,
                (host, port) -> URI.create("nats://" + LOCAL_USER + ":" + LOCAL_PASSWORD + "@" + host + ":" + port), env);
    }

    static List<String> localCommand(Path binary, int port, Path workDir) {
        return List.of(binary.toString(), "--addr", LocalBinaryServer.HOST, "--port", Integer.toString(port), "--jetstream",
                "--store_dir", workDir.resolve("jetstream").toString(), "--user", LOCAL_USER, "--pass", LOCAL_PASSWORD);
    }

    /** The URL a client connects with ({@code nats://user:pass@host:port}). */
    public URI natsUri() {
        return server.uri();
    }
}
