package io.conduit.gateway.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One of our Lua scripts, run by its sha1 with EVALSHA. Redis forgets scripts on restart or SCRIPT
 * FLUSH; then the call fails with NOSCRIPT, and the script is loaded (SCRIPT LOAD) and run once more.
 * Only the body goes over the wire once per server lifetime.
 */
public final class LuaScript {
    private final String name;
    private final String source;
    private final String sha1;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1(source);
    }

    /** A script given as text. */
    public static LuaScript of(String name, String source) {
        return new LuaScript(name, source);
    }

    /** A script shipped next to {@code owner}, the class that runs it, e.g. {@code bullmq-add.lua}. */
    public static LuaScript resource(Class<?> owner, String file) {
        try (InputStream in = owner.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + file);
            }
            return new LuaScript(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    /** Runs the script; the reply is the script's array, each element a String, Long, List or null. */
    public CompletionStage<List<Object>> run(RedisAsyncCommands<String, String> redis, List<String> keys, List<String> args) {
        String[] k = keys.toArray(String[]::new);
        String[] a = args.toArray(String[]::new);
        return redis.<List<Object>>evalsha(sha1, ScriptOutputType.MULTI, k, a)
                .exceptionallyCompose(failure -> {
                    if (unwrap(failure) instanceof RedisNoScriptException) {
                        return redis.scriptLoad(source)
                                .thenCompose(loaded -> redis.<List<Object>>evalsha(loaded, ScriptOutputType.MULTI, k, a));
                    }
                    return CompletableFuture.failedFuture(unwrap(failure));
                });
    }

    static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
