package io.conduit.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerProbeTest {

    @TempDir
    Path home;

    @Test
    void noSignOfDockerAnswersAtOnceWithoutTestcontainers() {
        assumeFalse(Files.exists(Path.of("/var/run/docker.sock")), "this machine has a Docker socket");
        Env env = Env.of(Map.of("HOME", home.toString()));

        assertThat(DockerProbe.anySign(env)).isFalse();
        assertThat(DockerProbe.whyUnreachable(env)).hasValueSatisfying(why -> assertThat(why).contains("no DOCKER_HOST"));
        assertThat(RedisServer.container(env).locate()).isInstanceOf(Attempt.Missed.class);
    }

    @Test
    void dockerHostIsASign() {
        assertThat(DockerProbe.anySign(Env.of(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375")))).isTrue();
    }
}
