package io.conduit.testsupport;

/** What one {@link Locator} made of its way of finding a server. */
public sealed interface Attempt {

    /** Got one; look no further. */
    record Found(TestServer server) implements Attempt {
    }

    /** This way does not apply here (nothing set, nothing installed); try the next one. */
    record Missed(String reason) implements Attempt {
    }

    /** Misconfigured (e.g. the env URL points at nothing): fail, even outside CI, rather than quietly use another server. */
    record Broken(String reason) implements Attempt {
    }
}
