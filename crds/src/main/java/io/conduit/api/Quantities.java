package io.conduit.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes written the Kubernetes way: {@code 1048576}, {@code 100Mi}, {@code 1Gi}, {@code 16Ki}, {@code 5M}. */
public final class Quantities {
    /** Used both in the CRD schema and here, so the API server and the renderer agree. */
    public static final String PATTERN = "^[0-9]+(Ki|Mi|Gi|Ti|k|K|M|G|T)?$";
    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private Quantities() {
    }

    /** Bytes in {@code text}; throws IllegalArgumentException with a readable message when it is malformed. */
    public static long parseBytes(String text) {
        Matcher m = COMPILED.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (use e.g. 512Ki, 100Mi, 1Gi)");
        }
        String digits = m.group(0).replaceAll("[^0-9]", "");
        long value;
        try {
            value = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw tooLarge(text);
        }
        String unit = m.group(1);
        long factor = unit == null ? 1 : switch (unit) {
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            case "k", "K" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "T" -> 1_000_000_000_000L;
            default -> throw new IllegalStateException(unit);
        };
        try {
            return Math.multiplyExact(value, factor);
        } catch (ArithmeticException e) {
            throw tooLarge(text);
        }
    }

    private static IllegalArgumentException tooLarge(String text) {
        return new IllegalArgumentException("'" + text + "' is too large a size");
    }
}
