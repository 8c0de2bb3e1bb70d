package io.conduit.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real MQTT broker (Eclipse Mosquitto, MQTT 5 and 3.1.1) for tests, found by the shared policy ({@link Resolver}):
 * {@value #ENV_VAR} if set, else {@code mosquitto} (Debian's package) on a free loopback port. Get the shared one with
 * {@link TestServers#mqtt()}.
 *
 * <p>A local broker admits only {@value #LOCAL_USER}/{@value #LOCAL_PASSWORD}, so a wrong password is refused as in
 * production, and persists its sessions and queued QoS 1/2 messages across {@link #stop()}/{@link #start()}.
 */
public final class MqttBroker extends DelegatingTestServer {

    public static final String ENV_VAR = "CONDUIT_TEST_MQTT_URL";
    static final String NAME = "mqtt";
    static final String PROGRAM = "mosquitto";
    static final int DEFAULT_PORT = 1883;
    public static final String LOCAL_USER = "conduit";
    public static final String LOCAL_PASSWORD = "conduit-mqtt-secret";
    static final String REMEDY = "install it (apt-get install -y mosquitto), or set " + ENV_VAR
            + "=tcp://user:pass@host:port to a running MQTT broker";

    MqttBroker(TestServer server) {
        super(server);
    }

    static Resolution<MqttBroker> locate(Env env) {
        return Resolver.resolve(NAME, REMEDY, env.ci(), locators(env)).map(MqttBroker::new);
    }

    static List<Locator> locators(Env env) {
        return List.of(new EnvUrlLocator(NAME, ENV_VAR, url -> Endpoint.parse(url, DEFAULT_PORT, "tcp", "ssl", "mqtt"), env),
                localBinary(env));
    }

    static Locator localBinary(Env env) {
        return new LocalBinaryLocator(NAME, PROGRAM, MqttBroker::localCommand,
                (host, port) -> URI.create("tcp://" + LOCAL_USER + ":" + LOCAL_PASSWORD + "@" + host + ":" + port), env);
    }

    /** Writes the broker's config and password file into {@code workDir}; {@code mosquitto_passwd} hashes the password. */
    static List<String> localCommand(Path binary, int port, Path workDir) throws IOException {
        Path passwords = workDir.resolve("passwd");
        Path passwd = binary.resolveSibling("mosquitto_passwd");
        Path tool = Files.isExecutable(passwd) ? passwd : Path.of("/usr/bin/mosquitto_passwd");
        Process process = new ProcessBuilder(tool.toString(), "-b", "-c", passwords.toString(), LOCAL_USER, LOCAL_PASSWORD)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(tool + " could not write " + passwords);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted writing " + passwords, e);
        }
        Path config = workDir.resolve("mosquitto.conf");
        Files.writeString(config, String.join("\n",
                "listener " + port + " " + LocalBinaryServer.HOST,
                "allow_anonymous false",
                "password_file " + passwords,
                "persistence true",
                "persistence_location " + workDir + "/",
                // Run as whoever started it: as root, mosquitto would switch to a user who cannot read workDir.
                "user " + System.getProperty("user.name"),
                ""));
        return List.of(binary.toString(), "-c", config.toString());
    }

    /** The URL a client connects with ({@code tcp://user:pass@host:port}); clients take the user info apart. */
    public URI mqttUri() {
        return server.uri();
    }
}
