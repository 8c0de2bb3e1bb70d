package io.conduit.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/** Second choice: the server's binary, if installed, started on a free port in a fresh temp dir. */
final class LocalBinaryLocator implements Locator {

    /** Another process can grab the free port before the server binds it; a few tries make that harmless. */
    private static final int TRIES = 3;

    private final String name;
    private final String program;
    private final LocalCommand command;
    private final BiFunction<String, Integer, URI> uriFor;
    private final Env env;
    private final List<Path> preferredDirs;
    private final Duration startTimeout;

    LocalBinaryLocator(String name, String program, LocalCommand command, BiFunction<String, Integer, URI> uriFor, Env env) {
        this(name, program, command, uriFor, env, List.of(), LocalBinaryServer.START_TIMEOUT);
    }

    /**
     * @param preferredDirs searched before PATH, for programs whose PATH entry is a wrapper tests cannot use
     * @param startTimeout  how long the server may take to open its port
     */
    LocalBinaryLocator(String name, String program, LocalCommand command, BiFunction<String, Integer, URI> uriFor, Env env,
            List<Path> preferredDirs, Duration startTimeout) {
        this.preferredDirs = List.copyOf(preferredDirs);
        this.startTimeout = startTimeout;
        this.name = name;
        this.program = program;
        this.command = command;
        this.uriFor = uriFor;
        this.env = env;
    }

    @Override
    public Attempt locate() {
        Optional<Path> binary = preferredDirs.stream().map(dir -> dir.resolve(program))
                .filter(path -> Files.isRegularFile(path) && Files.isExecutable(path)).findFirst()
                .or(() -> Executables.find(program, env));
        if (binary.isEmpty()) {
            return new Attempt.Missed(program + " is not installed (looked " + Executables.searched() + ")");
        }
        String lastError = "";
        for (int i = 0; i < TRIES; i++) {
            int port = FreePort.find();
            Path workDir = null;
            try {
                workDir = Files.createTempDirectory("conduit-" + name + "-");
                return new Attempt.Found(LocalBinaryServer.start(name, command.build(binary.get(), port, workDir), workDir, port,
                        uriFor.apply(LocalBinaryServer.HOST, port), startTimeout));
            } catch (IOException | RuntimeException e) {
                lastError = e.getMessage();
                if (workDir != null) {
                    LocalBinaryServer.deleteRecursively(workDir); // already gone if start() failed; not if build() did
                }
            }
        }
        return new Attempt.Missed(binary.get() + " is installed but did not start (" + TRIES + " tries): " + lastError);
    }
}
