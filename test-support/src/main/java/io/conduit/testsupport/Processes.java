package io.conduit.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts child processes for tests, output to a file. {@link #java} uses the very JDK running the tests, so a
 * jar under test (the gateway) runs on the same Java version the build chose.
 */
public final class Processes {

    private Processes() {
    }

    /** The {@code java} launcher of this JVM. */
    public static Path javaExecutable() {
        return ProcessHandle.current().info().command()
                .map(Path::of)
                .filter(Files::isExecutable)
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    /** A builder for {@code <this java> args...}; set directory and environment on it, then {@link #start}. */
    public static ProcessBuilder java(String... args) {
        return java(List.of(args));
    }

    public static ProcessBuilder java(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable().toString());
        command.addAll(args);
        return new ProcessBuilder(command);
    }

    /** {@code start(java(args), output)}. */
    public static ManagedProcess startJava(Path output, String... args) {
        return start(java(args), output);
    }

    /** Starts {@code builder} with stdout and stderr appended to {@code output} (no pipes to drain, nothing lost on a crash). */
    public static ManagedProcess start(ProcessBuilder builder, Path output) {
        try {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            builder.redirectErrorStream(true).redirectOutput(Redirect.appendTo(output.toFile()));
            return new ManagedProcess(builder.start(), output, describe(builder.command()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + describe(builder.command()), e);
        }
    }

    private static String describe(List<String> command) {
        String text = String.join(" ", command);
        return text.length() <= 160 ? text : text.substring(0, 157) + "...";
    }
}
