package io.conduit.operator.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Map;

/** How the operator logs in to a backend's Redis: the URL, TLS, and AUTH with the Secret's (username and) password. */
public final class RedisLogins {
    private RedisLogins() {
    }

    /** @param credentials {@code password} and optionally {@code username}; empty for none */
    public static RedisURI uri(String url, boolean tls, Map<String, String> credentials, Duration timeout) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(timeout);
        uri.setSsl(tls || uri.isSsl());
        RedisAuth.of(credentials).ifPresent(auth -> auth.applyTo(uri));
        return uri;
    }
}
