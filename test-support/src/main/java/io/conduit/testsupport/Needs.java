package io.conduit.testsupport;

import java.util.List;

/**
 * A precondition of a test beyond a server being there (a server this JVM can stop, a SASL listener):
 * unmet, the test is skipped locally and fails under {@code CI=true}, the same rule as for a missing
 * server ({@link Resolver#unavailable}), so a CI run never skips silently.
 */
public final class Needs {
    private Needs() {
    }

    /**
     * @param need   what the test needs, e.g. {@code "a Redis this JVM can stop and start"}
     * @param remedy how to provide it, e.g. {@code "unset CONDUIT_TEST_REDIS_URL so the test starts its own"}
     */
    public static void require(boolean met, String need, String remedy) {
        require(met, need, remedy, Env.system());
    }

    static void require(boolean met, String need, String remedy, Env env) {
        if (!met) {
            Resolver.unavailable(need, remedy, env.ci(), List.of("the server in use does not provide it")).get();
        }
    }

    /** The usual remedy for fault tests: the server comes from {@code envVar}, which this JVM may not stop. */
    public static String ownServer(String envVar) {
        return "unset " + envVar + " so the test starts a server of its own";
    }
}
