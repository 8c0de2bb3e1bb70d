package io.conduit.testsupport;

/** How a test server was found; decides whether the tests may stop it. */
public enum Origin {
    /** From an env URL: someone else's server, never stopped by us. */
    ENV_URL,
    /** A local binary this JVM started on a free port. */
    LOCAL_BINARY,
    /** A Testcontainers container this JVM started. */
    CONTAINER
}
