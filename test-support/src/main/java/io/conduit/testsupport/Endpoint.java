package io.conduit.testsupport;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/** Where a server listens: the host and port to probe, and the URI clients are given (it may carry credentials). */
public record Endpoint(String host, int port, URI uri) {

    /** {@code scheme://host:port}, bracketing IPv6 literals. */
    public static URI uri(String scheme, String host, int port) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create(scheme + "://" + h + ":" + port);
    }

    /**
     * Parses a server URL given in an env var: one of {@code schemes}, a host, the port or {@code defaultPort}. The URI
     * (credentials and path included) is handed to clients unchanged.
     */
    public static Endpoint parse(String url, int defaultPort, String... schemes) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage(), e);
        }
        if (List.of(schemes).stream().noneMatch(scheme -> scheme.equalsIgnoreCase(uri.getScheme()))) {
            throw new IllegalArgumentException("expected " + String.join(" or ", List.of(schemes).stream()
                    .map(scheme -> scheme + "://host:port").toList()) + ", got scheme " + uri.getScheme());
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in " + url);
        }
        return new Endpoint(uri.getHost(), uri.getPort() == -1 ? defaultPort : uri.getPort(), uri);
    }
}
