package io.conduit.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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

    LocalBinaryLocator(String name, String program, LocalCommand command, BiFunction<String, Integer, URI> uriFor, Env env) {
        this.name = name;
        this.program = program;
        this.command = command;
        this.uriFor = uriFor;
        this.env = env;
    }

    @Override
    public Attempt locate() {
        Optional<Path> binary = Executables.find(program, env);
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
                        uriFor.apply(LocalBinaryServer.HOST, port)));
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
