package io.conduit.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** TCP probes: is anything accepting connections on host:port, and waiting until that becomes true or false. */
public final class Ports {

    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    private static final long POLL_MILLIS = 50;

    private Ports() {
    }

    public static boolean isOpen(String host, int port) {
        return isOpen(host, port, CONNECT_TIMEOUT);
    }

    public static boolean isOpen(String host, int port, Duration connectTimeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until host:port accepts connections; throws {@link IllegalStateException} after {@code timeout}. */
    public static void awaitOpen(String host, int port, Duration timeout) {
        await(host, port, timeout, true);
    }

    /** Waits until host:port refuses connections; throws {@link IllegalStateException} after {@code timeout}. */
    public static void awaitClosed(String host, int port, Duration timeout) {
        await(host, port, timeout, false);
    }

    private static void await(String host, int port, Duration timeout, boolean open) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isOpen(host, port) != open) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(host + ":" + port + " did not " + (open ? "open" : "close") + " within " + timeout);
            }
            sleep(POLL_MILLIS);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
