package io.conduit.testsupport;

/** One way of finding a server (env URL, local binary, container); {@link Resolver} tries them in order. */
@FunctionalInterface
public interface Locator {

    Attempt locate();
}
