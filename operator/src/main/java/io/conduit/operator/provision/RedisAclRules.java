package io.conduit.operator.provision;

import io.conduit.api.v1alpha1.QueueBackendSpec.RedisMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The ACL rules of the users the operator provisions in a Redis: keys under the backend's prefix only, and
 * only the commands the user's job needs. Commands a script calls are checked against the same rules, so
 * allowing EVAL/EVALSHA widens nothing. Never FLUSHALL, CONFIG, KEYS or any other admin command.
 */
final class RedisAclRules {
    /** Logging in and the handshake clients send (Lettuce: HELLO, CLIENT SETNAME; SELECT for a /db URL). */
    private static final List<String> CONNECTION = List.of("+ping", "+hello", "+auth", "+client|setname", "+client|getname",
            "+client|id", "+select");
    /** How the gateway runs its Lua: SCRIPT LOAD once, then EVALSHA; EVAL releases an idempotency claim. */
    private static final List<String> SCRIPTS = List.of("+evalsha", "+eval", "+script|load");
    /** Idempotency records ({@code <prefix>:<queue>:conduit:...}): claim, read, release. */
    private static final List<String> IDEMPOTENCY = List.of("+get", "+set", "+del");
    /** What bullmq-add.lua and bullmq-status.lua call. */
    private static final List<String> BULLMQ_GATEWAY = List.of("+exists", "+hget", "+hmget", "+hset", "+incr", "+llen", "+lpush",
            "+rpush", "+type", "+xadd", "+zadd", "+zrange", "+zrevrangebyscore", "+lpos", "+zscore");
    /** What streams-add.lua and streams-status.lua call. */
    private static final List<String> STREAMS_GATEWAY = List.of("+xadd", "+exists", "+xinfo", "+xpending", "+xrange");
    /** The global rate-limit token bucket script. */
    private static final List<String> RATE_LIMIT = List.of("+hmget", "+hset", "+pexpire", "+time");
    /**
     * A BullMQ 5 worker runs dozens of Lua scripts over its own layout, blocks on markers and reads INFO for the
     * server's version: the data categories, minus everything dangerous and the script/function management.
     */
    private static final List<String> BULLMQ_WORKER = List.of("+@read", "+@write", "+@scripting", "+@transaction", "+@blocking",
            "-@dangerous", "-function", "-script|flush", "-script|kill", "-script|debug", "+info");
    /** A Streams consumer group member: read, claim and acknowledge; create its group. */
    private static final List<String> STREAMS_WORKER = List.of("+xreadgroup", "+xread", "+xack", "+xclaim", "+xautoclaim",
            "+xpending", "+xinfo", "+xrange", "+xrevrange", "+xlen", "+xgroup|create", "+xgroup|createconsumer");

    private RedisAclRules() {
    }

    /** The gateway's user: add jobs or messages and read their status, under {@code prefix}; and its own rate-limit keys. */
    static List<String> gateway(RedisMode mode, String prefix, String gatewayId, boolean globalRateLimits) {
        List<String> rules = base(prefix);
        if (globalRateLimits) {
            rules.add("~" + escape("conduit:ratelimit:" + gatewayId + ":") + "*");
        }
        rules.add("-@all");
        rules.addAll(CONNECTION);
        rules.addAll(SCRIPTS);
        rules.addAll(IDEMPOTENCY);
        rules.addAll(mode == RedisMode.STREAMS ? STREAMS_GATEWAY : BULLMQ_GATEWAY);
        if (globalRateLimits) {
            rules.addAll(RATE_LIMIT);
        }
        return rules;
    }

    /** A worker's user: a BullMQ worker on the prefix, or a Streams consumer group member. */
    static List<String> consumer(RedisMode mode, String prefix) {
        List<String> rules = base(prefix);
        rules.add("-@all");
        rules.addAll(CONNECTION);
        rules.addAll(mode == RedisMode.STREAMS ? STREAMS_WORKER : BULLMQ_WORKER);
        return rules;
    }

    private static List<String> base(String prefix) {
        List<String> rules = new ArrayList<>(List.of("resetkeys", "resetchannels", "~" + escape(prefix + ":") + "*"));
        return rules;
    }

    /** Key patterns are globs: a prefix holding {@code * ? [ ] \} must match itself only. */
    static String escape(String literal) {
        StringBuilder out = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if ("*?[]\\".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
