package io.conduit.testsupport;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Redis for tests, found by the shared policy ({@link Resolver}): {@value #ENV_VAR} if set, else
 * {@code redis-server} started on a free port, else a {@value #IMAGE} container if Docker is reachable.
 * Get the shared one with {@link TestServers#redis()}.
 *
 * <p>{@link #stop()}/{@link #start()} work only for servers this JVM started ({@link #restartable()}); a Redis from
 * {@value #ENV_VAR} belongs to someone else and throws {@link UnsupportedOperationException}.
 */
public final class RedisServer extends DelegatingTestServer {

    public static final String ENV_VAR = "CONDUIT_TEST_REDIS_URL";
    static final String NAME = "redis";
    static final String PROGRAM = "redis-server";
    static final String IMAGE = "redis:7.4-alpine";
    static final int DEFAULT_PORT = 6379;
    static final String REMEDY = "install it (apt-get install -y redis-server), or set " + ENV_VAR
            + "=redis://host:port to a running Redis, or make Docker reachable for Testcontainers";

    /** Nothing written to disk: tests want a clean, fast server, and restarts start empty. */
    private static final ContainerRecipe CONTAINER =
            ContainerRecipe.of(IMAGE, DEFAULT_PORT, "redis-server", "--save", "", "--appendonly", "no");


    RedisServer(TestServer server) {
        super(server);
    }

    /** Runs the whole policy against {@code env}: a Redis, a skip, or a failure. */
    static Resolution<RedisServer> locate(Env env) {
        return Resolver.resolve(NAME, REMEDY, env.ci(), locators(env)).map(RedisServer::new);
    }

    static List<Locator> locators(Env env) {
        return List.of(envUrl(env), localBinary(env), container(env));
    }

    static Locator envUrl(Env env) {
        return new EnvUrlLocator(NAME, ENV_VAR, RedisServer::parseUrl, env);
    }

    static Locator localBinary(Env env) {
        return new LocalBinaryLocator(NAME, PROGRAM, RedisServer::localCommand, RedisServer::uri, env);
    }

    static Locator container(Env env) {
        return new ContainerLocator(NAME, CONTAINER, RedisServer::uri, env);
    }

    /** {@code redis://[user:pass@]host[:port][/db]} or {@code rediss://...}; the URI is handed to clients unchanged. */
    static Endpoint parseUrl(String url) {
        return Endpoint.parse(url, DEFAULT_PORT, "redis", "rediss");
    }

    /** Loopback only, no persistence: a throwaway server that can never touch the machine's own Redis (6379). */
    static List<String> localCommand(Path binary, int port, Path workDir) {
        return List.of(binary.toString(), "--port", Integer.toString(port), "--save", "", "--appendonly", "no",
                "--bind", LocalBinaryServer.HOST);
    }

    static URI uri(String host, int port) {
        return Endpoint.uri("redis", host, port);
    }
}
