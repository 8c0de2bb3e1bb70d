package io.conduit.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A server binary run by this JVM on a fixed loopback port, in its own temp dir. The port is kept across
 * {@link #stop()}/{@link #start()} so clients holding the URI see an outage and a recovery, as in production.
 */
final class LocalBinaryServer implements TestServer {

    static final String HOST = "127.0.0.1";
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final String name;
    private final List<String> command;
    private final Path workDir;
    private final int port;
    private final URI uri;
    private final Duration startTimeout;
    private final AutoCloseable deleteWorkDir;
    private ManagedProcess process;
    private boolean closed;

    private LocalBinaryServer(String name, List<String> command, Path workDir, int port, URI uri, Duration startTimeout) {
        this.name = name;
        this.startTimeout = startTimeout;
        this.command = List.copyOf(command);
        this.workDir = workDir;
        this.port = port;
        this.uri = uri;
        this.deleteWorkDir = () -> deleteRecursively(workDir);
        ShutdownCleanup.register(deleteWorkDir);
    }

    /** Starts {@code command} in {@code workDir} and waits for {@code port}; on failure cleans up and throws with the output. */
    static LocalBinaryServer start(String name, List<String> command, Path workDir, int port, URI uri) {
        return start(name, command, workDir, port, uri, START_TIMEOUT);
    }

    /** As above, for servers that take longer than {@link #START_TIMEOUT} to boot (an Erlang VM on a loaded machine). */
    static LocalBinaryServer start(String name, List<String> command, Path workDir, int port, URI uri, Duration startTimeout) {
        LocalBinaryServer server = new LocalBinaryServer(name, command, workDir, port, uri, startTimeout);
        try {
            server.start();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    Path workDir() {
        return workDir;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Origin origin() {
        return Origin.LOCAL_BINARY;
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public boolean restartable() {
        return true;
    }

    @Override
    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        if (running()) {
            return;
        }
        // Else the wait below would take whoever holds the port for our server.
        if (Ports.isOpen(HOST, port)) {
            throw new IllegalStateException("cannot start " + this + ": another process already listens on that port");
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        ManagedProcess started = Processes.start(builder, workDir.resolve(name + ".log"));
        try {
            started.awaitPort(HOST, port, startTimeout);
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        process = started;
    }

    @Override
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.close();
        process = null;
        // Callers expect "stopped" to mean "refuses connections" the moment stop() returns.
        Ports.awaitClosed(HOST, port, STOP_TIMEOUT);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            ShutdownCleanup.unregister(deleteWorkDir);
            deleteRecursively(workDir);
        }
    }

    @Override
    public String toString() {
        return name + " (local " + command.getFirst() + ") at " + HOST + ":" + port;
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
