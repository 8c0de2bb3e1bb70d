package io.conduit.gateway.edge.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tokens of a gateway, from its tokens Secret: each key a tenant, each value that tenant's token
 * (several, one per line, while rotating). Only SHA-256 digests are kept, and a presented token is
 * compared with every one of them in constant time, so timing tells neither which token nor how much
 * of one matched.
 */
public final class Tokens {
    private record Entry(byte[] digest, Caller caller) {
    }

    private final List<Entry> entries;

    private Tokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static Tokens of(Map<String, String> tenantTokens) {
        List<Entry> entries = new ArrayList<>();
        tenantTokens.forEach((tenant, value) -> value.lines().map(String::trim).filter(t -> !t.isEmpty()).forEach(token -> {
            byte[] digest = sha256(token);
            entries.add(new Entry(digest, new Caller(tenant, HexFormat.of().formatHex(digest, 0, 8))));
        }));
        return new Tokens(entries);
    }

    public int size() {
        return entries.size();
    }

    /** The caller a presented token belongs to, if it is one of ours. */
    public Optional<Caller> identify(String presented) {
        byte[] digest = sha256(presented);
        Caller found = null;
        // No early exit: every entry is compared whatever matched before.
        for (Entry e : entries) {
            boolean equal = MessageDigest.isEqual(digest, e.digest());
            if (equal && found == null) {
                found = e.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
