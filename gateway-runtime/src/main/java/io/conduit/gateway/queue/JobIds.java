package io.conduit.gateway.queue;

import io.conduit.gateway.edge.ErrorCode;
import io.conduit.gateway.edge.GatewayException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Job ids: made up ones sort by time; given ones must be safe as file names and Redis key parts. */
public final class JobIds {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private JobIds() {
    }

    public static String generate() {
        byte[] bytes = new byte[5];
        RANDOM.nextBytes(bytes);
        return System.currentTimeMillis() + "-" + HexFormat.of().formatHex(bytes);
    }

    /** Rejects a rendered job id clients could use to escape a directory or a key space. */
    public static String requireSafe(String jobId) {
        if (!SAFE.matcher(jobId).matches()) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "job id '" + abbreviate(jobId)
                    + "' is not allowed: use 1-200 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return jobId;
    }

    /**
     * A custom id a BullMQ 5 worker accepts: safe, and not all digits (BullMQ's own ids are counters;
     * Node's {@code Queue.add} refuses integer custom ids, so one from us would alias a counter id).
     */
    public static String requireBullmqSafe(String jobId) {
        requireSafe(jobId);
        if (ALL_DIGITS.matcher(jobId).matches()) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "job id '" + abbreviate(jobId)
                    + "' is not allowed: BullMQ custom ids cannot be integers; add a letter (e.g. 'order-" + abbreviate(jobId) + "')");
        }
        return jobId;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
