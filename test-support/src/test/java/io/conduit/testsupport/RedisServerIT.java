package io.conduit.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class RedisServerIT {

    /** A redis-server of this test's own, whatever CONDUIT_TEST_REDIS_URL says; skipped (or failed under CI) if not installed. */
    private static RedisServer localRedis() {
        Env env = Env.system();
        return Resolver.resolve(RedisServer.NAME, RedisServer.REMEDY, env.ci(), List.of(RedisServer.localBinary(env)))
                .map(RedisServer::new).get();
    }

    @Test
    void localRedisAnswersStopsAndComesBackOnTheSamePort() throws Exception {
        try (RedisServer redis = localRedis()) {
            int port = redis.port();
            assertThat(redis.origin()).isEqualTo(Origin.LOCAL_BINARY);
            assertThat(redis.host()).isEqualTo("127.0.0.1");
            assertThat(port).isNotEqualTo(6379);
            assertThat(redis.uri()).hasToString("redis://127.0.0.1:" + port);
            assertThat(Resp.ping(redis)).isEqualTo("+PONG");
            assertThat(Resp.command(redis.host(), port, "SET", "k", "v")).isEqualTo("+OK");

            redis.stop();

            assertThat(redis.running()).isFalse();
            assertThatThrownBy(() -> new Socket(redis.host(), port).close()).isInstanceOf(ConnectException.class);

            redis.start();

            assertThat(redis.running()).isTrue();
            assertThat(redis.port()).isEqualTo(port);
            assertThat(Resp.ping(redis)).isEqualTo("+PONG");
            assertThat(Resp.command(redis.host(), port, "GET", "k")).as("a restart starts empty").isEqualTo("$-1");
        }
    }

    @Test
    void closeStopsTheServerAndRemovesItsTempDir() {
        Attempt attempt = RedisServer.localBinary(Env.system()).locate();
        Needs.require(attempt instanceof Attempt.Found, "redis-server (" + attempt + ")", "install it (apt-get install -y redis-server)");
        LocalBinaryServer redis = (LocalBinaryServer) ((Attempt.Found) attempt).server();
        assertThat(redis.workDir()).isDirectory();

        redis.close();

        assertThat(Ports.isOpen(redis.host(), redis.port())).isFalse();
        assertThat(redis.workDir()).doesNotExist();
        assertThatThrownBy(redis::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void envUrlIsHonouredAndNeverStopped() throws Exception {
        try (RedisServer local = localRedis()) {
            Env env = Env.of(Map.of(RedisServer.ENV_VAR, local.uri().toString()));

            RedisServer viaEnv = RedisServer.locate(env).get();

            assertThat(viaEnv.origin()).isEqualTo(Origin.ENV_URL);
            assertThat(viaEnv.uri()).isEqualTo(local.uri());
            assertThat(Resp.ping(viaEnv)).isEqualTo("+PONG");
            assertThat(viaEnv.restartable()).isFalse();
            assertThatThrownBy(viaEnv::stop).isInstanceOf(UnsupportedOperationException.class);
            viaEnv.close();
            assertThat(Resp.ping(local)).as("closing an env-URL server leaves it alone").isEqualTo("+PONG");
        }
    }

    @Test
    void sharedRedisIsOnePerJvmAndComesBackAfterAFaultTest() throws Exception {
        RedisServer redis = TestServers.redis();

        assertThat(TestServers.redis()).isSameAs(redis);
        assertThat(Resp.ping(redis)).isEqualTo("+PONG");

        if (redis.restartable()) {
            redis.stop(); // a fault test that forgot to start it again
            assertThat(Resp.ping(TestServers.redis())).isEqualTo("+PONG");
        }
    }

    @Test
    void aPortSomeoneElseHoldsIsNotMistakenForOurServer() throws Exception {
        Path binary = installedRedis();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            Path workDir = Files.createTempDirectory("conduit-redis-");

            assertThatThrownBy(() -> LocalBinaryServer.start("redis", RedisServer.localCommand(binary, port, workDir), workDir, port,
                    RedisServer.uri("127.0.0.1", port)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another process already listens");
            assertThat(workDir).doesNotExist();
        }
    }

    @Test
    void aServerThatDiesAtStartFailsWithItsOwnOutput() throws Exception {
        Path binary = installedRedis();
        int port = FreePort.find();
        Path workDir = Files.createTempDirectory("conduit-redis-");
        List<String> command = new ArrayList<>(RedisServer.localCommand(binary, port, workDir));
        command.addAll(List.of("--no-such-directive", "x"));

        assertThatThrownBy(() -> LocalBinaryServer.start("redis", command, workDir, port, RedisServer.uri("127.0.0.1", port)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("no-such-directive");
        assertThat(workDir).doesNotExist();
    }

    private static Path installedRedis() {
        Path binary = Executables.find(RedisServer.PROGRAM, Env.system()).orElse(null);
        Needs.require(binary != null, "redis-server", "install it (apt-get install -y redis-server)");
        return binary;
    }
}
