package io.conduit.operator.kube;

import io.conduit.testsupport.ManagedProcess;
import io.conduit.testsupport.Processes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * gateway-runtime's real BullMQ 5 worker fixture, started as a worker Deployment would be: its environment is the
 * consumer Secret ({@code envFrom}), nothing else. Installs the fixture with {@code npm ci} when needed.
 */
final class NodeBullmqWorker implements AutoCloseable {
    static final Path FIXTURE = Path.of("..", "gateway-runtime", "src", "test", "node", "bullmq-worker");

    private final ManagedProcess process;

    private NodeBullmqWorker(ManagedProcess process) {
        this.process = process;
    }

    static NodeBullmqWorker start(Map<String, String> envFrom, Path log) throws Exception {
        if (!Files.isDirectory(FIXTURE.resolve("node_modules/bullmq"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(FIXTURE.toFile()).inheritIO().start();
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IllegalStateException("npm ci in " + FIXTURE + " failed");
            }
        }
        ProcessBuilder builder = new ProcessBuilder("node", "worker.js").directory(FIXTURE.toFile());
        builder.environment().putAll(envFrom);
        return new NodeBullmqWorker(Processes.start(builder, log));
    }

    /** Starts a BullMQ Worker on {@code queue} under {@code prefix}. */
    void work(String prefix, String queue) throws Exception {
        String command = "{\"id\":1,\"cmd\":\"work\",\"queue\":\"" + queue + "\",\"prefix\":\"" + prefix + "\"}\n";
        process.process().getOutputStream().write(command.getBytes(StandardCharsets.UTF_8));
        process.process().getOutputStream().flush();
    }

    String output() {
        return process.outputText();
    }

    @Override
    public void close() {
        process.close();
    }
}
