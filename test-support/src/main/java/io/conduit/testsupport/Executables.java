package io.conduit.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds an installed program on PATH, then in the usual install dirs (PATH is often trimmed under IDEs and CI runners;
 * Debian puts daemons such as nats-server and mosquitto in /usr/sbin, which a non-root PATH lacks).
 */
final class Executables {

    static final List<Path> USUAL_DIRS = List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin"), Path.of("/usr/sbin"));

    private Executables() {
    }

    static Optional<Path> find(String program, Env env) {
        for (Path dir : searchPath(env)) {
            Path candidate = dir.resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** For messages: where {@link #find} looked. */
    static String searched() {
        return "on PATH or in " + String.join(", ", USUAL_DIRS.stream().map(Path::toString).toList());
    }

    private static List<Path> searchPath(Env env) {
        List<Path> dirs = new ArrayList<>();
        String path = env.get("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    try {
                        dirs.add(Path.of(entry));
                    } catch (InvalidPathException e) {
                        // A garbage PATH entry is not our problem; skip it.
                    }
                }
            }
        }
        dirs.addAll(USUAL_DIRS);
        return dirs;
    }
}
