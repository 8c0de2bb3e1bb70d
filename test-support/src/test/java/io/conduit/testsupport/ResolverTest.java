package io.conduit.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class ResolverTest {

    private static final Locator NOT_SET = () -> new Attempt.Missed("CONDUIT_TEST_REDIS_URL is not set");
    private static final Locator NOT_INSTALLED = () -> new Attempt.Missed("redis-server is not installed");
    private static final Locator NO_DOCKER = () -> new Attempt.Missed("Testcontainers: Docker is not reachable");

    @Test
    void firstFoundWinsAndLaterLocatorsAreNotTried() {
        FakeServer server = new FakeServer(Origin.LOCAL_BINARY);
        AtomicInteger later = new AtomicInteger();
        Resolution<TestServer> resolution = Resolver.resolve("redis", RedisServer.REMEDY, false,
                List.of(NOT_SET, () -> new Attempt.Found(server), () -> {
                    later.incrementAndGet();
                    return NO_DOCKER.locate();
                }));

        assertThat(resolution.get()).isSameAs(server);
        assertThat(later).hasValue(0);
    }

    @Test
    void unavailableOutsideCiIsASkipWithTheReasons() {
        Resolution<TestServer> resolution = Resolver.resolve("redis", RedisServer.REMEDY, false, List.of(NOT_SET, NOT_INSTALLED, NO_DOCKER));

        assertThat(resolution).isInstanceOf(Resolution.Skip.class);
        assertThatThrownBy(resolution::get)
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("redis is not available, so this test is skipped")
                .hasMessageContaining("CONDUIT_TEST_REDIS_URL is not set")
                .hasMessageContaining("redis-server is not installed")
                .hasMessageContaining("Docker is not reachable")
                .hasMessageContaining("apt-get install -y redis-server");
    }

    @Test
    void unavailableUnderCiIsAFailureSayingWhatToInstall() {
        Resolution<TestServer> resolution = Resolver.resolve("redis", RedisServer.REMEDY, true, List.of(NOT_SET, NOT_INSTALLED, NO_DOCKER));

        assertThat(resolution).isInstanceOf(Resolution.Fail.class);
        assertThatThrownBy(resolution::get)
                .isInstanceOf(ServerUnavailableException.class)
                .hasMessageContaining("CI=true makes that a failure")
                .hasMessageContaining("redis-server is not installed")
                .hasMessageContaining("Fix: install it (apt-get install -y redis-server), or set CONDUIT_TEST_REDIS_URL=redis://host:port");
    }

    @Test
    void ciFlagFromTheEnvironmentDecides() {
        Env ci = Env.of(Map.of("CI", "true"));
        Env local = Env.of(Map.of());

        assertThat(Resolver.resolve("redis", RedisServer.REMEDY, ci.ci(), List.of(NOT_INSTALLED))).isInstanceOf(Resolution.Fail.class);
        assertThat(Resolver.resolve("redis", RedisServer.REMEDY, local.ci(), List.of(NOT_INSTALLED))).isInstanceOf(Resolution.Skip.class);
    }

    @Test
    void brokenFailsEvenOutsideCiAndStopsTheSearch() {
        AtomicInteger later = new AtomicInteger();
        Resolution<TestServer> resolution = Resolver.resolve("redis", RedisServer.REMEDY, false,
                List.of(() -> new Attempt.Broken("CONDUIT_TEST_REDIS_URL points at 10.0.0.1:6379, but nothing accepts connections there"),
                        () -> {
                            later.incrementAndGet();
                            return new Attempt.Found(new FakeServer(Origin.LOCAL_BINARY));
                        }));

        assertThatThrownBy(resolution::get)
                .isInstanceOf(ServerUnavailableException.class)
                .hasMessageContaining("redis is misconfigured for tests")
                .hasMessageContaining("10.0.0.1:6379");
        assertThat(later).hasValue(0);
    }

    @Test
    void aLocatorThatThrowsIsAFailureNotASilentSkip() {
        Resolution<TestServer> resolution = Resolver.resolve("redis", RedisServer.REMEDY, false, List.of(() -> {
            throw new IllegalStateException("boom");
        }));

        assertThatThrownBy(resolution::get).isInstanceOf(ServerUnavailableException.class).hasMessageContaining("boom");
    }

    @Test
    void mapKeepsSkipsAndFailures() {
        Resolution<String> skip = new Resolution.Skip<Integer>("why").map(String::valueOf);
        Resolution<String> ready = new Resolution.Ready<>(4).map(String::valueOf);

        assertThat(skip).isEqualTo(new Resolution.Skip<String>("why"));
        assertThat(ready.get()).isEqualTo("4");
    }
}
