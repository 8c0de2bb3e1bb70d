package io.conduit.testsupport;

import java.util.Map;

/** Where settings come from; an interface so the lookup and skip/fail decisions can be tested without a real environment. */
@FunctionalInterface
public interface Env {

    /** The value of {@code name}, or null when unset. Blank counts as unset, so {@code X= mvn ...} switches X off. */
    String get(String name);

    static Env system() {
        return name -> blankToNull(System.getenv(name));
    }

    static Env of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return name -> blankToNull(copy.get(name));
    }

    /** {@code CI=true} (set by GitHub Actions, GitLab and most CI systems) turns a missing server from a skip into a failure. */
    default boolean ci() {
        String value = get("CI");
        return value != null && (value.trim().equalsIgnoreCase("true") || value.trim().equals("1"));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
