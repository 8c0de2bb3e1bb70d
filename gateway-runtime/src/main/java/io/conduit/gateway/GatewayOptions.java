package io.conduit.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Command-line settings of a gateway process. */
public record GatewayOptions(
        Path configDir,
        String host,
        int port,
        String adminHost,
        int adminPort,
        String gatewayName,
        String adminToken,
        Path renderedConfig,
        Path credentialsFile,
        Path logFile,
        Duration drainGrace,
        int eventLoops) {

    /** How long a SIGTERM waits for requests in flight by default (Kubernetes allows 30 s before SIGKILL). */
    public static final Duration DEFAULT_DRAIN_GRACE = Duration.ofSeconds(25);

    /** Event loops serving traffic when not given: one per core, as Vert.x servers scale. */
    public static int defaultEventLoops() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Options serving traffic on one event loop per core. */
    public GatewayOptions(Path configDir, String host, int port, String adminHost, int adminPort, String gatewayName,
                          String adminToken, Path renderedConfig, Path credentialsFile, Path logFile,
                          Duration drainGrace) {
        this(configDir, host, port, adminHost, adminPort, gatewayName, adminToken, renderedConfig, credentialsFile, logFile,
                drainGrace, defaultEventLoops());
    }

    /** Options with the JSON log on stdout and the default drain grace period. */
    public GatewayOptions(Path configDir, String host, int port, String adminHost, int adminPort, String gatewayName,
                          String adminToken, Path renderedConfig, Path credentialsFile) {
        this(configDir, host, port, adminHost, adminPort, gatewayName, adminToken, renderedConfig, credentialsFile, null,
                DEFAULT_DRAIN_GRACE);
    }

    static final String USAGE = """
            usage: java -jar conduit-gateway.jar [options]
                   java -jar conduit-gateway.jar replay FILE --target URL   (send recorded requests again)
                   java -jar conduit-gateway.jar spool-requeue SPOOL_PATH --older-than DURATION   (give stale spool claims back)
              --config DIR          folder of resource YAML to serve (default: the built-in quickstart)
              --port N              traffic port (default 8080)
              --host ADDR           traffic bind address (default 0.0.0.0)
              --admin-port N        admin port: /admin/config (default 9901)
              --admin-host ADDR     admin bind address (default 127.0.0.1)
              --gateway NAME        which EdgeGateway of the folder to run (when it holds several)
              --admin-token-file F  token required by PUT /admin/config (or env CONDUIT_ADMIN_TOKEN)
              --gateway-config F    a rendered GatewayConfig (JSON) to serve instead of a folder, as the
                                    operator mounts it; reloaded when it changes
              --credentials F       the credentials that config refers to (JSON), as the operator mounts them
              --log F               write the JSON request/event log to file F (default: stdout)
              --drain-grace SECS    on SIGTERM, how long requests in flight may take to finish (default 25)
              --event-loops N       event loops serving traffic (default: one per core)
            """;

    static GatewayOptions parse(String[] args) {
        Path config = null;
        String host = "0.0.0.0";
        int port = 8080;
        String adminHost = "127.0.0.1";
        int adminPort = 9901;
        String gateway = null;
        String token = System.getenv("CONDUIT_ADMIN_TOKEN");
        Path rendered = null;
        Path credentials = null;
        Path log = null;
        Duration grace = DEFAULT_DRAIN_GRACE;
        int eventLoops = defaultEventLoops();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--config" -> config = Path.of(value(args, ++i, arg));
                case "--port" -> port = port(value(args, ++i, arg), arg);
                case "--host" -> host = value(args, ++i, arg);
                case "--admin-port" -> adminPort = port(value(args, ++i, arg), arg);
                case "--admin-host" -> adminHost = value(args, ++i, arg);
                case "--gateway" -> gateway = value(args, ++i, arg);
                case "--admin-token-file" -> token = readToken(Path.of(value(args, ++i, arg)));
                case "--gateway-config" -> rendered = Path.of(value(args, ++i, arg));
                case "--credentials" -> credentials = Path.of(value(args, ++i, arg));
                case "--log" -> {
                    String v = value(args, ++i, arg);
                    log = v.equals("-") ? null : Path.of(v);
                }
                case "--drain-grace" -> grace = seconds(value(args, ++i, arg), arg);
                case "--event-loops" -> eventLoops = eventLoops(value(args, ++i, arg), arg);
                case "-h", "--help" -> throw new UsageException(null);
                default -> throw new UsageException("unknown option " + arg);
            }
        }
        if (config != null && rendered != null) {
            throw new UsageException("--config and --gateway-config are exclusive: a folder of resources, or a rendered config");
        }
        return new GatewayOptions(config, host, port, adminHost, adminPort, gateway,
                token == null || token.isBlank() ? null : token.trim(), rendered, credentials, log, grace, eventLoops);
    }

    private static int eventLoops(String text, String option) {
        try {
            int n = Integer.parseInt(text);
            if (n < 1 || n > 256) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " takes a number between 1 and 256, not '" + text + "'");
        }
    }

    private static Duration seconds(String text, String option) {
        try {
            double s = Double.parseDouble(text.endsWith("s") ? text.substring(0, text.length() - 1) : text);
            if (s < 0 || s > 3600 || Double.isNaN(s)) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(Math.round(s * 1000));
        } catch (NumberFormatException e) {
            throw new UsageException(option + " takes seconds between 0 and 3600, not '" + text + "'");
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static int port(String text, String option) {
        try {
            int p = Integer.parseInt(text);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " takes a port number, not '" + text + "'");
        }
    }

    private static String readToken(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UsageException("cannot read admin token file " + file + ": " + e.getMessage());
        }
    }

    /** A command line that cannot run; the message says why. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
