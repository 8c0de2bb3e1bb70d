package io.conduit.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The command line that runs a server kind's binary on {@code port}; may write config files into {@code workDir} first. */
@FunctionalInterface
interface LocalCommand {

    List<String> build(Path binary, int port, Path workDir) throws IOException;
}
