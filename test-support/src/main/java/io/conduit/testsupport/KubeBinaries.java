package io.conduit.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The etcd, kube-apiserver, kube-controller-manager and kubectl that {@code tools/kube/build.sh} built from their Go
 * modules into a cache outside the repository. The script alone knows the cache's place and the pinned version,
 * so this asks it ({@code --dir}) instead of repeating that knowledge.
 *
 * @param dir     the folder holding the four binaries, named {@code <version>-linux-amd64} as kube-api-test expects
 * @param version the Kubernetes version without its {@code v}, e.g. {@code 1.37.2}
 */
public record KubeBinaries(Path dir, String version) {

    static final List<String> PROGRAMS = List.of("etcd", "kube-apiserver", "kube-controller-manager", "kubectl");
    static final String BUILD_SCRIPT = "tools/kube/build.sh";

    /** kube-api-test's test dir: binaries under {@code k8s/}, its certificates at the top. */
    public Path apiTestDir() {
        return dir.getParent().getParent();
    }

    public Path kubectl() {
        return dir.resolve("kubectl");
    }

    public Path program(String name) {
        return dir.resolve(name);
    }

    /** The cached binaries, or why there are none (not built yet: run the script once). */
    static Optional<KubeBinaries> cached(Path repoRoot) {
        Path dir = cacheDir(repoRoot);
        for (String program : PROGRAMS) {
            if (!Files.isExecutable(dir.resolve(program))) {
                return Optional.empty();
            }
        }
        return Optional.of(of(dir));
    }

    static KubeBinaries of(Path dir) {
        String name = dir.getFileName().toString();
        return new KubeBinaries(dir, name.substring(0, name.indexOf('-')));
    }

    static Path cacheDir(Path repoRoot) {
        Path script = repoRoot.resolve(BUILD_SCRIPT);
        try {
            Process process = new ProcessBuilder(script.toString(), "--dir").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(script + " --dir failed: " + out);
            }
            return Path.of(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + script, e);
        }
    }

    /** The repository root: the nearest folder at or above the working directory holding the build script. */
    static Optional<Path> repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve(BUILD_SCRIPT))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
