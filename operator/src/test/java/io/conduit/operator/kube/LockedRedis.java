package io.conduit.operator.kube;

import io.conduit.testsupport.RedisServer;
import io.conduit.testsupport.TestServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.UUID;

/**
 * A Redis of the test's own with ACLs enforced as in production: an admin user with a password, and the passwordless
 * {@code default} user switched off, so every connection must log in and gets only what its user allows. (A Redis
 * from CONDUIT_TEST_REDIS_URL belongs to others: its default user is left alone, the admin user is added.)
 */
final class LockedRedis implements AutoCloseable {
    final RedisServer server;
    final String adminUser = "conduit-admin";
    final String adminPassword = "admin-" + UUID.randomUUID();
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> admin;

    LockedRedis() {
        server = TestServers.newRedis();
        try (RedisClient open = RedisClient.create(RedisURI.create(server.uri().toString()));
             var c = open.connect()) {
            c.sync().dispatch(io.lettuce.core.protocol.CommandType.ACL, new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                    new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
                            .add("SETUSER").add(adminUser).add("reset").add("on").add(">" + adminPassword).add("~*").add("&*").add("+@all"));
            if (server.restartable()) {
                c.sync().dispatch(io.lettuce.core.protocol.CommandType.ACL, new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                        new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8).add("SETUSER").add("default").add("off"));
            }
        }
        client = RedisClient.create(login(adminUser, adminPassword));
        admin = client.connect();
    }

    /** The server's URL without any user in it, as a QueueBackend names it. */
    String url() {
        return "redis://" + server.host() + ":" + server.port();
    }

    RedisURI login(String user, String password) {
        RedisURI uri = RedisURI.create(url());
        uri.setAuthentication(user, password.toCharArray());
        return uri;
    }

    RedisCommands<String, String> admin() {
        return admin.sync();
    }

    @Override
    public void close() {
        admin.close();
        client.shutdown();
        server.close();
    }
}
