package io.conduit.gateway;

import io.conduit.config.EdgeConfig;
import io.conduit.config.GatewayCredentials;
import io.conduit.gateway.admin.AdminApi;
import io.conduit.gateway.admin.AdminToken;
import io.conduit.gateway.blob.mirror.MirrorEvents;
import io.conduit.gateway.config.ActiveConfig;
import io.conduit.gateway.config.ConfigProblem;
import io.conduit.gateway.config.FolderWatcher;
import io.conduit.gateway.config.ReloadLog;
import io.conduit.gateway.config.ResourceConfigLoader;
import io.conduit.gateway.config.ResourceFolder;
import io.conduit.gateway.dispatch.TrafficHandler;
import io.conduit.gateway.edge.EdgeGuard;
import io.conduit.gateway.edge.InvalidRequests;
import io.conduit.gateway.edge.drain.Drain;
import io.conduit.gateway.edge.limits.HeaderDeadline;
import io.conduit.gateway.edge.logging.EventLog;
import io.conduit.gateway.edge.logging.Telemetry;
import io.conduit.gateway.edge.metrics.Metrics;
import io.conduit.gateway.replay.RequestRecorder;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One gateway: the traffic server, the admin server, and where its config comes from. */
public final class GatewayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    static final String QUICKSTART = "quickstart/quickstart.yaml";
    static final int WEBSOCKET_MAX_FRAME = 1 << 20;

    private final GatewayOptions options;
    private final Vertx vertx;
    private final ActiveConfig active;
    private final ResourceConfigLoader loader;
    private final TrafficHandler traffic;
    private final Telemetry telemetry;
    private final RequestRecorder recorder;
    /** One traffic server per event loop, all on the same port (Vert.x spreads the connections). */
    private final List<HttpServer> trafficServers = new CopyOnWriteArrayList<>();
    private HttpServer adminServer;
    private volatile AdminToken generatedAdminToken;
    private final AdminApi admin;
    private final List<FolderWatcher> watchers = new ArrayList<>();

    public GatewayServer(GatewayOptions options) {
        this.options = options;
        Metrics metrics = new Metrics();
        try {
            this.telemetry = new Telemetry(metrics, EventLog.open(options.logFile(), metrics));
        } catch (IOException e) {
            throw new GatewayOptions.UsageException("cannot open the log file " + options.logFile() + ": " + e.getMessage());
        }
        this.vertx = Vertx.vertx();
        EdgeGuard guard = new EdgeGuard(vertx);
        this.active = new ActiveConfig(vertx, new MirrorEvents() {
            @Override
            public void pending(String backend, int count) {
                metrics.mirrorPending(backend, count);
            }

            @Override
            public void copied(String backend, String mirror, boolean ok) {
                metrics.mirrorCopy(backend, mirror, ok);
            }

            @Override
            public void setAside(String backend, String mirror) {
                metrics.mirrorCopySetAside(backend, mirror);
            }
        }, guard);
        active.onOutcome(new ReloadLog(telemetry));
        this.loader = new ResourceConfigLoader(vertx, active, options.gatewayName());
        this.recorder = new RequestRecorder(metrics);
        this.traffic = new TrafficHandler(vertx, active, guard, telemetry, recorder);
        // Built here, off the event loop: it may write the generated token and look up this host's names.
        this.admin = new AdminApi(active, adminToken(), this::readCredentials, telemetry.metrics());
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
        var limits = active.config() == null ? EdgeConfig.Limits.DEFAULTS : active.config().edge().limits();
        HttpServerOptions trafficOptions = new HttpServerOptions()
                .setHost(options.host())
                .setPort(options.port())
                .setMaxHeaderSize((int) Math.min(Integer.MAX_VALUE, limits.maxHeaderSize()))
                .setIdleTimeout((int) limits.idleTimeoutMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setHandle100ContinueAutomatically(false)
                // No cleartext HTTP/2: telling it from HTTP/1 waits for the client's first bytes, and until then
                // the connection is unseen (no connection handler), so a silent one would live until idleTimeout
                // instead of being closed at the request-head deadline.
                .setHttp2ClearTextEnabled(false)
                .setCompressionSupported(false)
                // One WebSocket frame is held whole while it is decoded; longer messages come as several frames.
                .setMaxWebSocketFrameSize(WEBSOCKET_MAX_FRAME)
                .setMaxWebSocketMessageSize(Integer.MAX_VALUE);
        HttpServerOptions adminOptions = new HttpServerOptions().setHost(options.adminHost()).setPort(options.adminPort());
        // Slowloris guard: a connection must finish each request head within the request (or idle) timeout.
        var headerDeadline = new HeaderDeadline(vertx, () -> active.config() == null
                ? EdgeConfig.Limits.DEFAULTS.requestTimeoutMillis()
                : active.config().edge().limits().requestTimeoutMillis(), () -> active.config() == null
                ? EdgeConfig.Limits.DEFAULTS.idleTimeoutMillis()
                : active.config().edge().limits().idleTimeoutMillis());
        traffic.headerDeadline(headerDeadline);
        return trafficServers(trafficOptions, headerDeadline)
                .compose(v -> vertx.createHttpServer(adminOptions).requestHandler(admin.router(vertx)).listen())
                .map(server -> {
                    adminServer = server;
                    LOG.info("conduit gateway listening on {}:{} with {} event loop(s) (admin {}:{})", options.host(),
                            trafficPort(), trafficServers.size(), options.adminHost(), adminServer.actualPort());
                    return null;
                });
    }

    /**
     * One traffic server per event loop: a server created on an event loop's context serves its
     * connections there, and servers on one port share its connections, so the loops share the load.
     */
    private Future<Void> trafficServers(HttpServerOptions trafficOptions,
                                        HeaderDeadline headerDeadline) {
        // Port 0 asks for an ephemeral port; Vert.x shares one among servers only when asked with a negative port.
        int port = options.port() == 0 ? -1 : options.port();
        return vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                return vertx.createHttpServer(trafficOptions).connectionHandler(headerDeadline::opened).requestHandler(traffic)
                        .invalidRequestHandler(new InvalidRequests())
                        .listen(port, options.host()).onSuccess(trafficServers::add);
            }
        }, new DeploymentOptions().setInstances(options.eventLoops())).mapEmpty();
    }

    /** {@link #credentials()}, read on a worker thread: callers are on the event loop. */
    private Future<GatewayCredentials> readCredentials() {
        return vertx.executeBlocking(this::credentials, false);
    }

    /** The mounted credentials as they are now (pushed configs refer to them), or none. Blocking: reads a file. */
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
                        active.refuse(source, List.of(new ConfigProblem(
                                options.renderedConfig().toString(), null, "Invalid", "cannot read: " + e.getMessage())));
                        return Future.failedFuture(e);
                    })
                    .compose(config -> readCredentials().compose(credentials -> active.apply(config, credentials, source)));
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
        Set<Path> folders = new LinkedHashSet<>();
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
            for (Path folder : folders) {
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
        return trafficServers.get(0).actualPort();
    }

    /**
     * The token admin writes need: the given one (the operator's, or {@code --admin-token-file}), else one
     * generated at start and written to a file only this user can read, whose path is logged.
     */
    private String adminToken() {
        if (options.adminToken() != null) {
            return options.adminToken();
        }
        if (generatedAdminToken == null) {
            try {
                generatedAdminToken = AdminToken.generate();
            } catch (IOException e) {
                throw new GatewayOptions.UsageException("cannot write a generated admin token (give one with "
                        + "--admin-token-file): " + e.getMessage());
            }
            LOG.info("no admin token given: PUT /admin/config needs the one generated in {} (readable only by you)",
                    generatedAdminToken.file());
        }
        return generatedAdminToken.value();
    }

    /** The token generated at start when none was given (null otherwise). */
    public AdminToken generatedAdminToken() {
        return generatedAdminToken;
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
        await(future, 30_000);
    }

    private static void await(Future<Void> future, long millis) {
        if (future == null) {
            return;
        }
        try {
            future.toCompletionStage().toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
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
        // Requests in flight finish first (up to the grace period); only then are the backends closed.
        await(Drain.run(vertx, trafficServers, telemetry.metrics(), telemetry.log(), options.drainGrace()),
                options.drainGrace().toMillis() + 5_000);
        await(adminServer == null ? null : adminServer.close());
        if (generatedAdminToken != null) {
            generatedAdminToken.delete();
        }
        active.close();
        traffic.closeGuard();
        await(vertx.close());
        recorder.close();
        telemetry.log().close();
    }
}
