package io.conduit.testsupport;

import java.util.ArrayList;
import java.util.List;

/** The policy: first locator that finds a server wins; nothing found means skip, or fail under CI=true. */
public final class Resolver {

    private Resolver() {
    }

    /**
     * @param name   kind of server, e.g. {@code redis}
     * @param remedy what a developer or CI image should do, e.g. {@code install it (apt-get install -y redis-server), or ...}
     * @param ci     whether unavailability must fail (see {@link Env#ci()})
     */
    public static Resolution<TestServer> resolve(String name, String remedy, boolean ci, List<? extends Locator> locators) {
        List<String> reasons = new ArrayList<>();
        for (Locator locator : locators) {
            Attempt attempt;
            try {
                attempt = locator.locate();
            } catch (RuntimeException e) {
                // A locator that blows up is a bug or a broken machine; say so instead of skipping quietly.
                attempt = new Attempt.Broken("looking for " + name + " failed: " + e);
            }
            switch (attempt) {
                case Attempt.Found found -> {
                    return new Resolution.Ready<>(found.server());
                }
                case Attempt.Missed missed -> reasons.add(missed.reason());
                case Attempt.Broken broken -> {
                    return new Resolution.Fail<>(name + " is misconfigured for tests: " + broken.reason());
                }
            }
        }
        return unavailable(name, remedy, ci, reasons);
    }

    /** Pure: what to do when every locator missed. */
    public static <S> Resolution<S> unavailable(String name, String remedy, boolean ci, List<String> reasons) {
        StringBuilder tried = new StringBuilder();
        for (String reason : reasons) {
            tried.append("\n  - ").append(reason);
        }
        if (ci) {
            return new Resolution.Fail<>(name + " is needed by this test but is not available, and CI=true makes that a failure."
                    + " Tried:" + tried + "\nFix: " + remedy + ".");
        }
        return new Resolution.Skip<>(name + " is not available, so this test is skipped (under CI=true it would fail)."
                + " Tried:" + tried + "\nTo run it: " + remedy + ".");
    }
}
