package io.conduit.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class ProcessesIT {

    /** A tiny server run with the source launcher: stands in for the gateway jar. */
    private static final String LISTEN = """
            import java.net.*;
            public class Listen {
                public static void main(String[] args) throws Exception {
                    if (args[0].equals("fail")) {
                        System.err.println("cannot start: bad config");
                        System.exit(3);
                    }
                    try (ServerSocket s = new ServerSocket(Integer.parseInt(args[0]), 50, InetAddress.getLoopbackAddress())) {
                        System.out.println("listening on " + s.getLocalPort() + " with java " + Runtime.version().feature());
                        while (true) {
                            s.accept().close();
                        }
                    }
                }
            }
            """;

    @TempDir
    Path dir;
    Path source;

    @BeforeEach
    void writeSource() throws Exception {
        source = Files.writeString(dir.resolve("Listen.java"), LISTEN);
    }

    @Test
    void runsJavaWithThisJdkAndWaitsForItsPort() {
        int port = FreePort.find();
        ManagedProcess process = Processes.startJava(dir.resolve("logs/listen.log"), source.toString(), Integer.toString(port));
        try (process) {
            process.awaitPort("127.0.0.1", port, Duration.ofSeconds(60));

            assertThat(process.isAlive()).isTrue();
            // The port opens a moment before the line is printed: wait for the line rather than race it.
            String expected = "listening on " + port + " with java " + Runtime.version().feature();
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!process.outputText().contains(expected) && System.nanoTime() < end) {
                Ports.sleep(20);
            }
            assertThat(process.outputText()).contains(expected);
        }
        assertThat(process.isAlive()).isFalse();
        assertThat(Ports.isOpen("127.0.0.1", port)).isFalse();
    }

    @Test
    void aProcessThatDiesFailsTheWaitAtOnceWithItsOutput() {
        try (ManagedProcess process = Processes.startJava(dir.resolve("fail.log"), source.toString(), "fail")) {
            assertThatThrownBy(() -> process.awaitPort("127.0.0.1", FreePort.find(), Duration.ofSeconds(60)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited with code 3")
                    .hasMessageContaining("cannot start: bad config");
        }
    }

    @Test
    void javaIsTheRunningJdk() {
        assertThat(Processes.javaExecutable()).isExecutable();
        assertThat(Processes.java("-version").command().getFirst()).isEqualTo(Processes.javaExecutable().toString());
    }
}
