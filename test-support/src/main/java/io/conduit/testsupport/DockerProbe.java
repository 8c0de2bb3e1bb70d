package io.conduit.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/**
 * Is Docker reachable for Testcontainers? Checks cheap signs first (DOCKER_HOST, a docker.sock, a Testcontainers
 * config) so machines without Docker answer at once, without Testcontainers' slow, noisy probing.
 */
final class DockerProbe {

    private DockerProbe() {
    }

    /** Empty when Docker is reachable, else why not. */
    static Optional<String> whyUnreachable(Env env) {
        if (!anySign(env)) {
            return Optional.of("Docker is not reachable (no DOCKER_HOST, no docker.sock, no ~/.testcontainers.properties)");
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable()
                    ? Optional.empty()
                    : Optional.of("Docker is not reachable (Testcontainers found no working Docker environment)");
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("Docker is not reachable (" + e + ")");
        }
    }

    static boolean anySign(Env env) {
        if (env.get("DOCKER_HOST") != null) {
            return true;
        }
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/var/run/docker.sock")));
        String home = env.get("HOME");
        if (home != null) {
            candidates.add(Path.of(home, ".testcontainers.properties"));
            candidates.add(Path.of(home, ".docker", "run", "docker.sock"));
            candidates.add(Path.of(home, ".docker", "desktop", "docker.sock"));
        }
        String runtimeDir = env.get("XDG_RUNTIME_DIR");
        if (runtimeDir != null) {
            candidates.add(Path.of(runtimeDir, "docker.sock")); // rootless Docker
            candidates.add(Path.of(runtimeDir, "podman", "podman.sock"));
        }
        return candidates.stream().anyMatch(Files::exists);
    }
}
