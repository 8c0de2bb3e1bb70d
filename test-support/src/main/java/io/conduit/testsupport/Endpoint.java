package io.conduit.testsupport;

import java.net.URI;

/** Where a server listens: the host and port to probe, and the URI clients are given (it may carry credentials). */
public record Endpoint(String host, int port, URI uri) {

    /** {@code scheme://host:port}, bracketing IPv6 literals. */
    public static URI uri(String scheme, String host, int port) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create(scheme + "://" + h + ":" + port);
    }
}
