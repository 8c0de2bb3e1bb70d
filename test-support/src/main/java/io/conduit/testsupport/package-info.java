/**
 * The one shared way tests find the real servers they need (Redis now; Kafka and S3 later, the same way).
 *
 * <p>Each server is looked for in this order, first hit wins:
 * <ol>
 *   <li>an env URL ({@code CONDUIT_TEST_REDIS_URL}, e.g. {@code redis://127.0.0.1:6379}): used as is, never stopped;
 *   <li>a local binary ({@code redis-server} on PATH or in /usr/bin) started on a free port in a temp dir,
 *       stopped on {@code close()} or at JVM exit;
 *   <li>Testcontainers, only when Docker is reachable;
 *   <li>otherwise the server is unavailable: the test is <em>skipped</em> with the reason, or under {@code CI=true}
 *       it <em>fails</em> with what to install.
 * </ol>
 *
 * <pre>{@code
 * @BeforeAll static void redis() { redis = TestServers.redis(); }   // shared per JVM; skips or fails as above
 * ... connect to redis.uri() / redis.host() + redis.port() ...
 *
 * // fault tests: only servers this JVM started can be stopped; env-URL ones cannot
 * assumeTrue(redis.restartable(), "Redis from CONDUIT_TEST_REDIS_URL cannot be stopped");
 * redis.stop(); ... assert the outage is handled ...; redis.start();   // same port again
 * }</pre>
 *
 * <p>{@link io.conduit.testsupport.Processes} starts a java process with the test's own JDK (e.g. the gateway
 * jar), output to a file, and waits for its port.
 *
 * <p>To add a server kind: a class like {@link io.conduit.testsupport.RedisServer} that lists its
 * {@link io.conduit.testsupport.Locator}s (env URL, local binary command, container recipe) and hands them to
 * {@link io.conduit.testsupport.Resolver}, plus an accessor in {@link io.conduit.testsupport.TestServers}.
 */
package io.conduit.testsupport;
