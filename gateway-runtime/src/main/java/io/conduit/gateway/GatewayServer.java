package io.conduit.gateway;

import io.conduit.config.GatewayCredentials;
import io.conduit.gateway.admin.AdminApi;
import io.conduit.gateway.config.ActiveConfig;
import io.conduit.gateway.config.FolderWatcher;
import io.conduit.gateway.config.ResourceConfigLoader;
import io.conduit.gateway.config.ResourceFolder;
import io.conduit.gateway.edge.TrafficHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One gateway: the traffic server, the admin server, and where its config comes from. */
public final class GatewayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    static final String QUICKSTART = "quickstart/quickstart.yaml";

    private final GatewayOptions options;
    private final Vertx vertx;
    private final ActiveConfig active;
    private final ResourceConfigLoader loader;
    private final TrafficHandler traffic;
    private HttpServer trafficServer;
    private HttpServer adminServer;
    private final java.util.List<FolderWatcher> watchers = new java.util.ArrayList<>();

    public GatewayServer(GatewayOptions options) {
        this.options = options;
        this.vertx = Vertx.vertx();
        this.active = new ActiveConfig(vertx);
        this.loader = new ResourceConfigLoader(vertx, active, options.gatewayName());
        this.traffic = new TrafficHandler(vertx, active);
    }

    /** Loads the config, then listens. An invalid initial config still starts (not ready) and waits for a fix. */
    public Future<Void> start() {
        return loadConfig()
                .recover(e -> {
                    LOG.error("no valid config yet; serving 503 until the config is fixed (see /admin/config)");
                    return Future.succeededFuture();
                })
                .compose(v -> listen())
                .compose(v -> watch());
    }

    private Future<Void> listen() {
        var limits = active.config() == null ? io.conduit.config.EdgeConfig.Limits.DEFAULTS : active.config().edge().limits();
        HttpServerOptions trafficOptions = new HttpServerOptions()
                .setHost(options.host())
                .setPort(options.port())
                .setMaxHeaderSize((int) Math.min(Integer.MAX_VALUE, limits.maxHeaderSize()))
                .setIdleTimeout((int) limits.idleTimeoutMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setHandle100ContinueAutomatically(false)
                .setCompressionSupported(false);
        HttpServerOptions adminOptions = new HttpServerOptions().setHost(options.adminHost()).setPort(options.adminPort());
        AdminApi admin = new AdminApi(active, options.adminToken(), this::credentials);
        var headerDeadline = new io.conduit.gateway.edge.limits.HeaderDeadline(vertx, () -> active.config() == null
                ? io.conduit.config.EdgeConfig.Limits.DEFAULTS.requestTimeoutMillis()
                : active.config().edge().limits().requestTimeoutMillis(), () -> active.config() == null
                ? io.conduit.config.EdgeConfig.Limits.DEFAULTS.idleTimeoutMillis()
                : active.config().edge().limits().idleTimeoutMillis());
        traffic.headerDeadline(headerDeadline);
        return vertx.createHttpServer(trafficOptions).connectionHandler(headerDeadline::opened).requestHandler(traffic)
                .invalidRequestHandler(new io.conduit.gateway.edge.InvalidRequests()).listen()
                .compose(server -> {
                    trafficServer = server;
                    return vertx.createHttpServer(adminOptions).requestHandler(admin.router(vertx)).listen();
                })
                .map(server -> {
                    adminServer = server;
                    LOG.info("conduit gateway listening on {}:{} (admin {}:{})", options.host(), trafficServer.actualPort(),
                            options.adminHost(), adminServer.actualPort());
                    return null;
                });
    }

    /** The mounted credentials as they are now (pushed configs refer to them), or none. */
    private GatewayCredentials credentials() {
        if (options.credentialsFile() == null) {
            return GatewayCredentials.NONE;
        }
        try {
            return RenderedConfigFiles.readCredentials(options.credentialsFile());
        } catch (IOException e) {
            LOG.warn("cannot read credentials {}: {}", options.credentialsFile(), e.getMessage());
            return GatewayCredentials.NONE;
        }
    }

    public Future<String> loadConfig() {
        if (options.renderedConfig() != null) {
            String source = "file:" + options.renderedConfig();
            return vertx.executeBlocking(() -> RenderedConfigFiles.readConfig(options.renderedConfig()), false)
                    .recover(e -> {
                        active.refuse(source, java.util.List.of(new io.conduit.gateway.config.ConfigProblem(
                                options.renderedConfig().toString(), null, "Invalid", "cannot read: " + e.getMessage())));
                        return Future.failedFuture(e);
                    })
                    .compose(config -> active.apply(config, credentials(), source));
        }
        if (options.configDir() == null) {
            return loader.load("embedded:" + QUICKSTART, () -> {
                Map<String, InputStream> docs = new LinkedHashMap<>();
                InputStream in = GatewayServer.class.getClassLoader().getResourceAsStream(QUICKSTART);
                if (in == null) {
                    throw new IOException("the embedded quickstart is missing from the jar");
                }
                docs.put(QUICKSTART, in);
                return ResourceFolder.load(docs);
            });
        }
        return loader.load("folder:" + options.configDir(), () -> ResourceFolder.load(options.configDir()));
    }

    private Future<Void> watch() {
        // A mounted ConfigMap or Secret changes by swapping a symlink in its folder: watch the folders.
        java.util.Set<java.nio.file.Path> folders = new java.util.LinkedHashSet<>();
        if (options.configDir() != null) {
            folders.add(options.configDir());
        }
        if (options.renderedConfig() != null) {
            folders.add(options.renderedConfig().toAbsolutePath().getParent());
        }
        if (options.credentialsFile() != null) {
            folders.add(options.credentialsFile().toAbsolutePath().getParent());
        }
        try {
            for (java.nio.file.Path folder : folders) {
                watchers.add(new FolderWatcher(folder, this::reloadQuietly));
            }
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
        return Future.succeededFuture();
    }

    /** Reload without failing the caller: a refused config is reported at /admin/config and in the log. */
    public void reloadQuietly() {
        loadConfig().onFailure(e -> LOG.warn("config reload refused: {}", e.getMessage()));
    }

    public int trafficPort() {
        return trafficServer.actualPort();
    }

    public int adminPort() {
        return adminServer.actualPort();
    }

    static void checkConfigDir(GatewayOptions options) {
        if (options.configDir() != null && !(Files.isDirectory(options.configDir()) && Files.isReadable(options.configDir()))) {
            throw new GatewayOptions.UsageException("--config " + options.configDir() + " is not a readable folder");
        }
        if (options.renderedConfig() != null && !Files.isReadable(options.renderedConfig())) {
            throw new GatewayOptions.UsageException("--gateway-config " + options.renderedConfig() + " is not a readable file");
        }
    }

    private static void await(Future<Void> future) {
        if (future == null) {
            return;
        }
        try {
            future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("shutdown step did not finish cleanly: {}", e.toString());
        }
    }

    @Override
    public void close() {
        traffic.startDraining();
        for (FolderWatcher watcher : watchers) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // Shutting down.
            }
        }
        // Awaited from the calling thread: a Vert.x instance cannot report its own close to its own event loop.
        await(trafficServer == null ? null : trafficServer.close());
        await(adminServer == null ? null : adminServer.close());
        active.close();
        traffic.closeGuard();
        await(vertx.close());
    }
}
