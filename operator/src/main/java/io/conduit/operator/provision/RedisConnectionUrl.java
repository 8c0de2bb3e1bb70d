package io.conduit.operator.provision;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The parts of a backend's {@code redis://host:port[/db]} a worker needs, and the URL with a user in it. */
record RedisConnectionUrl(String scheme, String host, int port, int db) {
    static RedisConnectionUrl of(String url, boolean tls) {
        URI uri = URI.create(url);
        String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
        return new RedisConnectionUrl(tls ? "rediss" : "redis", uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort(),
                path.isEmpty() ? 0 : Integer.parseInt(path));
    }

    /** User names hold ':' and '/', so they are percent-encoded; passwords are URL-safe already. */
    String withUser(String user, String password) {
        return scheme + "://" + URLEncoder.encode(user, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                + "@" + host + ":" + port + "/" + db;
    }
}
