package io.conduit.gateway;

import io.conduit.gateway.queue.spool.SpoolRequeue;
import io.conduit.gateway.replay.Replay;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar conduit-gateway.jar [--config DIR] [--port N] ...}: run one standalone gateway;
 * {@code java -jar conduit-gateway.jar replay FILE --target URL}: send recorded requests again;
 * {@code java -jar conduit-gateway.jar spool-requeue SPOOL_PATH --older-than D}: give stale spool claims back.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("replay")) {
            System.exit(Replay.run(Arrays.copyOfRange(args, 1, args.length), System.out,
                    System.err));
            return;
        }
        if (args.length > 0 && args[0].equals("spool-requeue")) {
            System.exit(SpoolRequeue.run(Arrays.copyOfRange(args, 1, args.length),
                    System.out, System.err));
            return;
        }
        GatewayOptions options;
        GatewayServer server;
        try {
            options = GatewayOptions.parse(args);
            GatewayServer.checkConfigDir(options);
            server = new GatewayServer(options);
        } catch (GatewayOptions.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("conduit-gateway: " + e.getMessage());
            }
            System.err.print(GatewayOptions.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        try {
            server.start().toCompletionStage().toCompletableFuture().join();
        } catch (RuntimeException e) {
            LOG.error("conduit-gateway failed to start: {}", e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            server.close();
            System.exit(1);
            return;
        }
        Signals.onHangup(server::reloadQuietly);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "conduit-shutdown"));
    }
}
