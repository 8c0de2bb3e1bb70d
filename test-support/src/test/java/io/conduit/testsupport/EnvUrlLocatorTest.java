package io.conduit.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvUrlLocatorTest {

    @Test
    void unsetIsAMissSoTheNextWayIsTried() {
        Attempt attempt = RedisServer.envUrl(Env.of(Map.of())).locate();

        assertThat(attempt).isEqualTo(new Attempt.Missed("CONDUIT_TEST_REDIS_URL is not set"));
    }

    @Test
    void setAndListeningIsUsedAsIsAndCannotBeStopped() throws Exception {
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String url = "redis://127.0.0.1:" + listener.getLocalPort();

            Attempt attempt = RedisServer.envUrl(Env.of(Map.of(RedisServer.ENV_VAR, url))).locate();

            assertThat(attempt).isInstanceOf(Attempt.Found.class);
            TestServer server = ((Attempt.Found) attempt).server();
            assertThat(server.origin()).isEqualTo(Origin.ENV_URL);
            assertThat(server.uri()).hasToString(url);
            assertThat(server.port()).isEqualTo(listener.getLocalPort());
            assertThat(server.restartable()).isFalse();
            assertThatThrownBy(server::stop).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("CONDUIT_TEST_REDIS_URL").hasMessageContaining("assumeTrue(server.restartable())");
            assertThatThrownBy(server::start).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void setButNotListeningIsBrokenNotAFallback() {
        int closed = FreePort.find();
        Attempt attempt = RedisServer.envUrl(Env.of(Map.of(RedisServer.ENV_VAR, "redis://127.0.0.1:" + closed))).locate();

        assertThat(attempt).isInstanceOf(Attempt.Broken.class);
        assertThat(((Attempt.Broken) attempt).reason()).contains("127.0.0.1:" + closed, "nothing accepts connections");
    }

    @Test
    void setToGarbageIsBroken() {
        Attempt attempt = RedisServer.envUrl(Env.of(Map.of(RedisServer.ENV_VAR, "localhost:6379"))).locate();

        assertThat(attempt).isInstanceOf(Attempt.Broken.class);
        assertThat(((Attempt.Broken) attempt).reason()).contains("CONDUIT_TEST_REDIS_URL is not usable");
    }

    @Test
    void envUrlComesFirstInThePolicy() throws Exception {
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Env env = Env.of(Map.of(RedisServer.ENV_VAR, "redis://127.0.0.1:" + listener.getLocalPort()));

            RedisServer redis = RedisServer.locate(env).get();

            assertThat(redis.origin()).isEqualTo(Origin.ENV_URL);
            assertThat(redis.port()).isEqualTo(listener.getLocalPort());
        }
    }
}
