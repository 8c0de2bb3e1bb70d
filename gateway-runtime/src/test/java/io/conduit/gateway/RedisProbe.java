package io.conduit.gateway;

import io.conduit.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Reads (and, for test setup, writes) the test Redis directly, as a consumer or an operator would. */
final class RedisProbe implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    RedisProbe(RedisServer redis) {
        this.client = RedisClient.create(redis.uri().toString());
        this.connection = client.connect();
    }

    RedisCommands<String, String> sync() {
        return connection.sync();
    }

    /** A key prefix of its own per test class, so tests sharing the one Redis never see each other's keys. */
    static String uniquePrefix(String name) {
        byte[] bytes = new byte[4];
        new SecureRandom().nextBytes(bytes);
        return name + "-" + HexFormat.of().formatHex(bytes);
    }

    /** A QueueBackend document; {@code redisExtra} adds fields to {@code spec.redis}, {@code specExtra} lines to {@code spec}. */
    static String backendYaml(String name, RedisServer redis, String mode, String prefix, String redisExtra, String specExtra) {
        return """
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: %s}
                spec:
                  type: redis
                  redis: {url: "%s", mode: %s, prefix: "%s"%s}
                %s
                ---
                """.formatted(name, redis.uri(), mode, prefix, redisExtra.isEmpty() ? "" : ", " + redisExtra,
                specExtra.indent(2).stripTrailing());
    }

    static String backendYaml(String name, RedisServer redis, String mode, String prefix) {
        return backendYaml(name, redis, mode, prefix, "", "");
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
