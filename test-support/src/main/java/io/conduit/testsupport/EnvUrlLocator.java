package io.conduit.testsupport;

import java.time.Duration;
import java.util.function.Function;

/** First choice: a server someone already runs, named by an env var (e.g. {@code CONDUIT_TEST_REDIS_URL}). */
final class EnvUrlLocator implements Locator {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final String name;
    private final String envVar;
    private final Function<String, Endpoint> parse;
    private final Env env;

    /** @param parse the value to an endpoint; throws {@link IllegalArgumentException} with the reason if unusable */
    EnvUrlLocator(String name, String envVar, Function<String, Endpoint> parse, Env env) {
        this.name = name;
        this.envVar = envVar;
        this.parse = parse;
        this.env = env;
    }

    @Override
    public Attempt locate() {
        String value = env.get(envVar);
        if (value == null) {
            return new Attempt.Missed(envVar + " is not set");
        }
        Endpoint endpoint;
        try {
            endpoint = parse.apply(value.trim());
        } catch (IllegalArgumentException e) {
            return new Attempt.Broken(envVar + " is not usable: " + e.getMessage());
        }
        // Someone asked for this server explicitly: if it is down, say so rather than fall back to another one.
        if (!Ports.isOpen(endpoint.host(), endpoint.port(), PROBE_TIMEOUT)) {
            return new Attempt.Broken(envVar + " points at " + endpoint.host() + ":" + endpoint.port()
                    + ", but nothing accepts connections there. Start that " + name + " or unset " + envVar + ".");
        }
        return new Attempt.Found(new ExternalServer(name, endpoint, envVar));
    }
}
