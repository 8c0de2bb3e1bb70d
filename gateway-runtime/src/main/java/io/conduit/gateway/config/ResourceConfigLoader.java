package io.conduit.gateway.config;

import io.conduit.render.GatewayRenderer;
import io.conduit.render.RenderResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Renders resources (from a folder or the embedded quickstart) and applies the result. Standalone,
 * a folder is all-or-nothing: any problem refuses the whole folder and the previous config keeps serving.
 */
public final class ResourceConfigLoader {
    private final Vertx vertx;
    private final ActiveConfig active;
    private final String gatewayName;
    private final GatewayRenderer renderer = new GatewayRenderer();

    public ResourceConfigLoader(Vertx vertx, ActiveConfig active, String gatewayName) {
        this.vertx = vertx;
        this.active = active;
        this.gatewayName = gatewayName;
    }

    /** Reads with {@code reader} (blocking), renders, applies. Fails when the resources were refused. */
    public Future<String> load(String source, Callable<ResourceFolder.Loaded> reader) {
        Promise<String> done = Promise.promise();
        vertx.<RenderResult>executeBlocking(() -> {
            ResourceFolder.Loaded loaded = reader.call();
            List<ConfigProblem> problems = new ArrayList<>(loaded.problems());
            if (loaded.files().isEmpty() && problems.isEmpty()) {
                // Most likely a file caught mid-save; serving nothing would turn every request into a 404.
                problems.add(new ConfigProblem(null, null, "Invalid", "the config holds no Conduit resources"));
            }
            RenderResult result = null;
            try {
                result = renderer.renderStandalone(loaded.resources(), gatewayName);
                RenderResult r = result;
                r.problems().forEach(p -> problems.add(ConfigProblem.of(p, loaded.files().get(p.resource()))));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(null, null, "Invalid", e.getMessage()));
            }
            if (!problems.isEmpty()) {
                throw new SinkFactory.InvalidConfigException(problems);
            }
            return result;
        }, true).onComplete(ar -> {
            if (ar.failed()) {
                if (ar.cause() instanceof SinkFactory.InvalidConfigException invalid) {
                    active.refuse(source, invalid.problems());
                } else {
                    active.refuse(source, List.of(new ConfigProblem(null, null, "Invalid",
                            "cannot read config: " + ar.cause().getMessage())));
                }
                done.fail(ar.cause());
                return;
            }
            active.apply(ar.result().config(), ar.result().credentials(), source).onComplete(done);
        });
        return done.future();
    }
}
