package io.conduit.testsupport;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * A real S3-compatible server for tests, found by the shared policy ({@link Resolver}): {@value #ENV_VAR} if set
 * (e.g. a MinIO, with {@value #ACCESS_KEY_VAR}/{@value #SECRET_KEY_VAR}), else s3proxy from Maven Central run as a
 * local process ({@link S3ProxyLocator}), else a {@value #IMAGE} container if Docker is reachable.
 * Get the shared one with {@link TestServers#s3()}. Tests create the buckets they use.
 */
public final class S3Server extends DelegatingTestServer {

    public static final String ENV_VAR = "CONDUIT_TEST_S3_ENDPOINT";
    public static final String ACCESS_KEY_VAR = "CONDUIT_TEST_S3_ACCESS_KEY";
    public static final String SECRET_KEY_VAR = "CONDUIT_TEST_S3_SECRET_KEY";
    public static final String REGION = "us-east-1";
    static final String NAME = "s3";
    static final String IMAGE = "minio/minio:RELEASE.2025-04-22T22-12-26Z";
    static final String MINIO_DEFAULT_KEY = "minioadmin";
    static final String LOCAL_ACCESS_KEY = "conduit";
    static final String LOCAL_SECRET_KEY = "conduit-test-secret";
    static final String REMEDY = "build test-support with Maven (it fetches org.gaul:s3proxy), or set " + ENV_VAR
            + "=http://host:port to a running S3-compatible store (with " + ACCESS_KEY_VAR + " and " + SECRET_KEY_VAR
            + "), or make Docker reachable for Testcontainers";

    private static final ContainerRecipe CONTAINER = ContainerRecipe.of(IMAGE, 9000, "server", "/data");

    private final String accessKey;
    private final String secretKey;

    S3Server(TestServer server, String accessKey, String secretKey) {
        super(server);
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    static Resolution<S3Server> locate(Env env) {
        return Resolver.resolve(NAME, REMEDY, env.ci(), locators(env)).map(s -> switch (s.origin()) {
            case ENV_URL -> new S3Server(s, or(env.get(ACCESS_KEY_VAR), MINIO_DEFAULT_KEY), or(env.get(SECRET_KEY_VAR),
                    MINIO_DEFAULT_KEY));
            case LOCAL_BINARY -> new S3Server(s, LOCAL_ACCESS_KEY, LOCAL_SECRET_KEY);
            default -> new S3Server(s, MINIO_DEFAULT_KEY, MINIO_DEFAULT_KEY);
        });
    }

    static List<Locator> locators(Env env) {
        return List.of(new EnvUrlLocator(NAME, ENV_VAR, S3Server::parseUrl, env), new S3ProxyLocator(),
                new ContainerLocator(NAME, CONTAINER, (host, port) -> Endpoint.uri("http", host, port), env));
    }

    /** {@code http(s)://host[:port]}; the URI is handed to clients as the endpoint. */
    static Endpoint parseUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage(), e);
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (!https && !"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("expected http://host:port or https://host:port, got scheme " + uri.getScheme());
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in " + url);
        }
        return new Endpoint(uri.getHost(), uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort(), uri);
    }

    private static String or(String value, String fallback) {
        return value == null ? fallback : value;
    }

    /** The endpoint URL an S3 client is configured with (path-style addressing). */
    public URI endpoint() {
        return server.uri();
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    public String region() {
        return REGION;
    }











    @Override
    public String toString() {
        return server + (server.origin() == Origin.LOCAL_BINARY ? " (s3proxy)" : "");
    }
}
