package io.conduit.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RedisServerTest {

    @Test
    void parsesRedisUrls() {
        assertThat(RedisServer.parseUrl("redis://127.0.0.1:6380"))
                .isEqualTo(new Endpoint("127.0.0.1", 6380, URI.create("redis://127.0.0.1:6380")));
        assertThat(RedisServer.parseUrl("redis://redis.test").port()).isEqualTo(6379);
        Endpoint withAuth = RedisServer.parseUrl("rediss://user:secret@cache.test:7000/2");
        assertThat(withAuth.host()).isEqualTo("cache.test");
        assertThat(withAuth.port()).isEqualTo(7000);
        assertThat(withAuth.uri()).hasToString("rediss://user:secret@cache.test:7000/2");
    }

    @Test
    void rejectsWhatIsNotARedisUrl() {
        assertThatThrownBy(() -> RedisServer.parseUrl("http://127.0.0.1:6379")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis://host:port");
        assertThatThrownBy(() -> RedisServer.parseUrl("127.0.0.1:6379")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisServer.parseUrl("redis://")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void localServerIsThrowawayAndLoopbackOnly() {
        assertThat(RedisServer.localCommand(Path.of("/usr/bin/redis-server"), 41234, Path.of("/tmp/x")))
                .containsExactly("/usr/bin/redis-server", "--port", "41234", "--save", "", "--appendonly", "no", "--bind", "127.0.0.1");
    }

    @Test
    void uriHasTheRedisScheme() {
        assertThat(RedisServer.uri("127.0.0.1", 41234)).hasToString("redis://127.0.0.1:41234");
        assertThat(RedisServer.uri("::1", 41234)).hasToString("redis://[::1]:41234");
    }
}
