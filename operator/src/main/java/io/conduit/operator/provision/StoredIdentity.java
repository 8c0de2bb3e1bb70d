package io.conduit.operator.provision;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A provisioned user's password as the operator keeps it, in the Secret it writes: the current one, the hash of
 * the one before (still accepted, so pods on the old credentials keep working until they have rolled) and the
 * rotation request it answers. A new rotation request, or no Secret yet, makes a new password.
 */
record StoredIdentity(String password, String previousSha256, String rotation) {
    static final String PASSWORD = "password";
    static final String PREVIOUS = "previousPasswordSha256";
    static final String ROTATION_ANNOTATION = "conduit.io/rotation";

    /**
     * What {@code existing} holds (its password under {@code passwordKey}) if it answers {@code rotation}; else a fresh
     * password, the old one kept for the roll.
     */
    static StoredIdentity resolve(Secret existing, String passwordKey, String rotation) {
        String current = value(existing, passwordKey);
        String answered = existing == null || existing.getMetadata().getAnnotations() == null ? null
                : existing.getMetadata().getAnnotations().get(ROTATION_ANNOTATION);
        if (current != null && rotation.equals(answered)) {
            return new StoredIdentity(current, value(existing, PREVIOUS), rotation);
        }
        return new StoredIdentity(Passwords.random(), current == null ? null : Passwords.sha256(current), rotation);
    }

    /** The hashes Redis accepts: the current password's and, during a rotation, the previous one's. */
    List<String> acceptedSha256s() {
        List<String> hashes = new ArrayList<>(List.of(Passwords.sha256(password)));
        if (previousSha256 != null) {
            hashes.add(previousSha256);
        }
        return hashes;
    }

    private static String value(Secret secret, String key) {
        if (secret == null) {
            return null;
        }
        Map<String, String> data = secret.getData();
        if (data != null && data.get(key) != null) {
            return new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
        }
        return secret.getStringData() == null ? null : secret.getStringData().get(key);
    }

    @Override
    public String toString() {
        // Never print the password.
        return "StoredIdentity[rotation=" + rotation + "]";
    }
}
