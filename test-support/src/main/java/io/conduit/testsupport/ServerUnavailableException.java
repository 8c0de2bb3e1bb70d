package io.conduit.testsupport;

/** A server the test needs is not available and that must fail the build (under CI=true, or when misconfigured). */
public final class ServerUnavailableException extends RuntimeException {

    public ServerUnavailableException(String message) {
        super(message);
    }
}
