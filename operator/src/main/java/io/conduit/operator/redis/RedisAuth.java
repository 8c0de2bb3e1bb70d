package io.conduit.operator.redis;

import io.lettuce.core.RedisURI;
import java.util.Map;
import java.util.Optional;

/**
 * How a Redis backend's Secret becomes AUTH, the way the gateway sends it: {@code username} (a Redis 6
 * ACL user) with {@code password} when the Secret names one, else the password alone; nothing without a password.
 */
record RedisAuth(String username, String password) {

    static Optional<RedisAuth> of(Map<String, String> credentials) {
        String username = credentials.get("username");
        return Optional.ofNullable(credentials.get("password"))
                .map(password -> new RedisAuth(username == null || username.isEmpty() ? null : username, password));
    }

    void applyTo(RedisURI uri) {
        if (username == null) {
            uri.setAuthentication(password.toCharArray());
        } else {
            uri.setAuthentication(username, password.toCharArray());
        }
    }

    /** Never the password: a record would print it. */
    @Override
    public String toString() {
        return "RedisAuth[username=" + username + "]";
    }
}
