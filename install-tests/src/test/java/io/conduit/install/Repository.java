package io.conduit.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Paths of the checked-in install files, and the one switch between checking and refreshing them:
 * with {@code -Dconduit.refresh} the tests that own a generated file write it instead of comparing.
 */
final class Repository {
    /** Surefire runs in install-tests/. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path CHART = ROOT.resolve("helm/conduit");
    static final Path MANIFESTS = ROOT.resolve("manifests");
    static final Path GITOPS = ROOT.resolve("examples/gitops");
    static final Path DOCS = ROOT.resolve("docs");

    static final String REFRESH_COMMAND = "./conduit mvn -B -q test -pl install-tests -am -Dconduit.refresh"
            + " -Dtest='ChartRenderingTest,CrdReferenceTest,ArgoHealthChecksTest' -Dsurefire.failIfNoSpecifiedTests=false";

    private Repository() {
    }

    static boolean refreshing() {
        String value = System.getProperty("conduit.refresh", "false");
        return value.isEmpty() || value.equals("true");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Compares a generated file with its committed copy, or writes it when refreshing. */
    static void checkOrRefresh(Path file, String content) {
        if (refreshing()) {
            write(file, content);
        } else if (!Files.exists(file) || !read(file).equals(content)) {
            throw new AssertionError(relative(file) + (Files.exists(file) ? " differs from what it is generated from" : " is missing")
                    + "\nRefresh the generated files from the repository root:\n  " + REFRESH_COMMAND);
        }
    }

    static String relative(Path file) {
        return ROOT.relativize(file.toAbsolutePath().normalize()).toString();
    }
}
