package io.conduit.gateway.admin;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.api.SchemaErrors;
import io.conduit.config.ConfigJson;
import io.conduit.config.GatewayConfig;
import io.conduit.config.GatewayCredentials;
import io.conduit.gateway.config.ActiveConfig;
import io.conduit.gateway.config.SinkFactory;
import io.conduit.gateway.edge.RequestIds;
import io.conduit.gateway.edge.Responses;
import io.conduit.gateway.edge.metrics.Metrics;
import io.conduit.gateway.errors.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The admin port: {@code GET /metrics} (Prometheus text), {@code GET /admin/config} (revision, source, problems, config) and
 * {@code PUT /admin/config} (the operator's push, or a user's standalone; the admin token is always required).
 * Only requests whose Host is local or this host's own are answered. Never exposed through the Service.
 */
public final class AdminApi {
    private static final long MAX_CONFIG_BYTES = 16L << 20;

    private final ActiveConfig active;
    private final String adminToken;
    private final Supplier<Future<GatewayCredentials>> credentials;
    private final Metrics metrics;
    private final AdminHosts hosts = new AdminHosts(AdminHosts.configured());

    /** {@code adminToken} is required by every push; standalone without one, the server generates one ({@link AdminToken}). */
    public AdminApi(ActiveConfig active, String adminToken, Supplier<Future<GatewayCredentials>> credentials, Metrics metrics) {
        this.active = active;
        this.adminToken = Objects.requireNonNull(adminToken, "adminToken");
        this.credentials = credentials;
        this.metrics = metrics;
    }

    public Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            RequestIds.assign(ctx.request());
            // Before anything else: a foreign Host is a page in some browser (DNS rebinding), not an operator.
            if (!hosts.allows(ctx.request().getHeader(HttpHeaders.HOST))) {
                Responses.error(ctx.request(), ErrorCode.FORBIDDEN, "the admin port answers only to localhost and this "
                        + "host's own names and addresses (add others with CONDUIT_ADMIN_HOSTS)");
                return;
            }
            ctx.next();
        });
        router.get("/admin/config").handler(this::show);
        router.get("/metrics").handler(this::metrics);
        // Authorized on the head alone, on a route of its own before the body is read: nobody without the
        // token gets to send 16 MiB (Vert.x Web keeps a body handler first on its route).
        router.put("/admin/config").handler(this::authorize);
        router.put("/admin/config")
                .handler(BodyHandler.create().setBodyLimit(MAX_CONFIG_BYTES))
                .handler(this::replace);
        router.route().last().handler(ctx -> Responses.error(ctx.request(), ErrorCode.NOT_FOUND, "no such admin endpoint"));
        return router;
    }

    private void show(RoutingContext ctx) {
        ObjectNode body = ConfigJson.MAPPER.valueToTree(active.status());
        GatewayConfig config = active.config();
        if (config != null) {
            body.set("config", ConfigJson.MAPPER.valueToTree(config));
        }
        Responses.json(ctx.request(), 200, body);
    }

    /** Prometheus text exposition format 0.0.4 (what every Prometheus scrapes). */
    private void metrics(RoutingContext ctx) {
        ctx.vertx().executeBlocking(metrics::scrape, false).onComplete(ar -> {
            if (ar.failed()) {
                Responses.error(ctx.request(), ar.cause());
                return;
            }
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
        });
    }

    private void authorize(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : "";
        boolean ok = MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), adminToken.getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"conduit-admin\"");
            Responses.error(ctx.request(), ErrorCode.UNAUTHORIZED, "admin token missing or wrong");
            return;
        }
        ctx.next();
    }

    private void replace(RoutingContext ctx) {
        GatewayConfig config;
        try {
            config = ConfigJson.readConfig(ctx.body().asString());
        } catch (JsonMappingException e) {
            Responses.error(ctx.request(), ErrorCode.BAD_REQUEST, "body is not a GatewayConfig: " + SchemaErrors.describe(e, null));
            return;
        } catch (Exception e) {
            Responses.error(ctx.request(), ErrorCode.BAD_REQUEST, "body is not a GatewayConfig: not JSON");
            return;
        }
        GatewayConfig pushed = config;
        // The mounted credentials are read off the event loop (a file on disk).
        credentials.get().compose(creds -> active.apply(pushed.revision() == null || pushed.revision().isBlank()
                ? pushed.withRevision(ConfigJson.revisionOf(pushed, creds)) : pushed, creds, "push")).onComplete(ar -> {
            if (ar.succeeded()) {
                Responses.json(ctx.request(), 200, ConfigJson.MAPPER.createObjectNode().put("revision", ar.result()));
                return;
            }
            ObjectNode error = ConfigJson.MAPPER.createObjectNode();
            ObjectNode inner = error.putObject("error")
                    .put("code", ErrorCode.BAD_REQUEST.code())
                    .put("message", "config refused; the previous one keeps serving")
                    .put("requestId", RequestIds.of(ctx.request()));
            if (ar.cause() instanceof SinkFactory.InvalidConfigException invalid) {
                inner.set("problems", ConfigJson.MAPPER.valueToTree(invalid.problems()));
            }
            Responses.json(ctx.request(), 400, error);
        });
    }
}
