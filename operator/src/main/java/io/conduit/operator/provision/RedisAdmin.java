package io.conduit.operator.provision;

import io.conduit.operator.redis.RedisLogins;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator's admin connection to one Redis, made with the backend's {@code credentialsSecretRef}: manages
 * ACL users. Passwords go to Redis only as SHA-256 hashes ({@code #<hex>}), so no error Redis echoes can carry one.
 */
final class RedisAdmin implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** One small set of event loops for every admin connection. */
    private static final ClientResources RESOURCES = DefaultClientResources.builder().ioThreadPoolSize(1)
            .computationThreadPoolSize(1).build();

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private RedisAdmin(RedisClient client, StatefulRedisConnection<String, String> connection) {
        this.client = client;
        this.connection = connection;
    }

    /** @param credentials {@code password} and optionally {@code username} of the admin; empty for none */
    static RedisAdmin connect(String url, boolean tls, Map<String, String> credentials) {
        RedisURI uri = RedisLogins.uri(url, tls, credentials, TIMEOUT);
        RedisClient client = RedisClient.create(RESOURCES, uri);
        try {
            return new RedisAdmin(client, client.connect());
        } catch (RuntimeException e) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Creates or replaces {@code user} whole: on, exactly these password hashes, exactly these rules. */
    void setUser(String user, List<String> passwordSha256s, List<String> rules) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(user).add("reset").add("on");
        passwordSha256s.forEach(h -> args.add("#" + h));
        rules.forEach(args::add);
        connection.sync().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args);
    }

    List<String> users() {
        return connection.sync().aclUsers();
    }

    /** Removes the users; Redis closes their connections. */
    void delete(List<String> users) {
        if (!users.isEmpty()) {
            connection.sync().aclDeluser(users.toArray(String[]::new));
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
