package io.conduit.operator.provision;

import java.util.Collection;

/** Store messages go into conditions: any secret value they might echo is cut out first. */
final class Redact {
    private Redact() {
    }

    static String of(String message, Collection<String> secrets) {
        String out = message == null ? "" : message;
        for (String s : secrets) {
            if (s != null && s.length() >= 4) {
                out = out.replace(s, "***");
            }
        }
        return out;
    }
}
