package io.conduit.gateway.queue;

import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Job ids: made up ones sort by time; given ones must be safe as file names and Redis key parts. */
public final class JobIds {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Names a queue's own keys or folders take next to its jobs: BullMQ 5's keys ({@code <prefix>:<queue>:wait}
     * and the rest; a job is {@code <prefix>:<queue>:<id>}), the legacy and metrics ones, and our own record
     * space ({@code conduit}). Refused for every backend, so a job id valid on one backend is valid on all and a
     * rule keeps working when its backend changes. bullmq-add.lua holds the same list as a second line of defence.
     */
    public static final Set<String> RESERVED = Set.of("active", "wait", "waiting-children", "paused", "id", "delayed",
            "prioritized", "stalled-check", "completed", "failed", "stalled", "repeat", "limiter", "meta", "events", "pc",
            "marker", "de", "dn", "priority", "metrics", "conduit");

    private JobIds() {
    }

    public static String generate() {
        byte[] bytes = new byte[5];
        RANDOM.nextBytes(bytes);
        return System.currentTimeMillis() + "-" + HexFormat.of().formatHex(bytes);
    }

    /** Rejects a rendered job id clients could use to escape a directory or a key space, or to name a queue's own key. */
    public static String requireSafe(String jobId) {
        if (!SAFE.matcher(jobId).matches()) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "job id '" + abbreviate(jobId)
                    + "' is not allowed: use 1-200 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (isReserved(jobId)) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, reservedMessage("job id", jobId));
        }
        return jobId;
    }

    /** Any case: Redis keys are case-sensitive, but a folder on a case-insensitive file system is not. */
    public static boolean isReserved(String jobId) {
        return RESERVED.contains(jobId.toLowerCase(Locale.ROOT));
    }

    public static String reservedMessage(String what, String value) {
        return what + " '" + value + "' is reserved: it names one of the queue's own keys (" + String.join(", ",
                RESERVED.stream().sorted().toList()) + ")";
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
