package io.conduit.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process whose output (stdout and stderr) goes to a file, killed on {@link #close()} or at JVM exit.
 * Failures quote the end of that output, since that is where the reason usually is.
 */
public final class ManagedProcess implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final int TAIL_LINES = 40;

    private final Process process;
    private final Path output;
    private final String description;

    ManagedProcess(Process process, Path output, String description) {
        this.process = process;
        this.output = output;
        this.description = description;
        ShutdownCleanup.register(this);
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The file holding stdout and stderr. */
    public Path output() {
        return output;
    }

    /** Everything written so far (invalid UTF-8 replaced, never throws). */
    public String outputText() {
        try {
            return new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e.getMessage() + ")";
        }
    }

    /** The last {@code lines} lines of output. */
    public String outputTail(int lines) {
        List<String> all = outputText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * Waits until host:port accepts connections. Fails fast, with the output's tail, if the process exits first
     * or the port stays closed past {@code timeout}.
     */
    public ManagedProcess awaitPort(String host, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Ports.isOpen(host, port, Duration.ofMillis(200))) {
            if (!process.isAlive()) {
                throw new IllegalStateException(description + " exited with code " + process.exitValue() + " before " + host + ":"
                        + port + " accepted connections. Last output (" + output + "):\n" + outputTail(TAIL_LINES));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(description + " did not open " + host + ":" + port + " within " + timeout
                        + ". Last output (" + output + "):\n" + outputTail(TAIL_LINES));
            }
            Ports.sleep(50);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException(description + " exited with code " + process.exitValue() + ", and something else listens on "
                    + host + ":" + port + ". Last output (" + output + "):\n" + outputTail(TAIL_LINES));
        }
        return this;
    }

    /** Asks it (and its children) to stop, SIGTERM then SIGKILL after {@code grace}; returns the exit code. */
    public int stop(Duration grace) {
        try {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor();
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping " + description, e);
        } finally {
            ShutdownCleanup.unregister(this);
        }
    }

    @Override
    public void close() {
        stop(STOP_GRACE);
    }

    @Override
    public String toString() {
        return description + " (pid " + process.pid() + ", output " + output + ")";
    }
}
