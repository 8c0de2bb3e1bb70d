package io.conduit.operator.backend;

import java.util.Collection;
import java.util.regex.Pattern;

/** What a connectivity check found: ok, or a condition reason and a message for people (never a secret). */
public record Probe(boolean ok, String reason, String message) {
    private static final Pattern URL_USERINFO = Pattern.compile("(?<=://)[^/@\\s]+@");

    public static Probe ok(String message) {
        return new Probe(true, "Connected", message);
    }

    public static Probe failed(String reason, String message) {
        return new Probe(false, reason, message);
    }

    /**
     * A client's error message with every credential value and URL userinfo blanked: drivers sometimes
     * echo URLs or settings, and conditions are readable by anyone who may list the resource.
     */
    static String redact(String message, Collection<String> secrets) {
        String out = message == null ? "" : URL_USERINFO.matcher(message).replaceAll("***@");
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 3) {
                out = out.replace(secret, "***");
            }
        }
        return out.length() > 500 ? out.substring(0, 500) + "..." : out;
    }

    /** The innermost cause's class and message: the outer layers of client exceptions say little. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String outer = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return root == e ? outer : outer + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
