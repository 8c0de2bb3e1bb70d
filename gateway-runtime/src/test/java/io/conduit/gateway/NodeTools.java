package io.conduit.gateway;

import static org.junit.jupiter.api.Assertions.fail;

import io.conduit.testsupport.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Node for the tests that run real Node programs: skipped without it, or failed under CI=true. */
final class NodeTools {
    private NodeTools() {
    }

    static void requireNode(String forWhat) {
        boolean present;
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            present = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            present = false;
        }
        if (!present) {
            String why = "node is needed " + forWhat + " (apt-get install -y nodejs npm; .ci/run installs it)";
            if (Env.system().ci()) {
                fail(why + ", and CI=true makes its absence a failure");
            }
            Assumptions.abort(why + "; skipped");
        }
    }

    /** {@code npm ci} from the committed lock file in {@code dir}, unless {@code installed} (below it) exists. */
    static synchronized void npmCi(Path dir, String installed) throws Exception {
        if (Files.isDirectory(dir.resolve(installed))) {
            return;
        }
        Path log = Files.createTempFile("npm-ci", ".log");
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            fail("npm ci in " + dir + " failed: " + Files.readString(log));
        }
        Files.deleteIfExists(log);
    }
}
