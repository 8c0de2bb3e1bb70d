package io.conduit.gateway.ingest;

import io.conduit.gateway.edge.logging.EventLog;
import io.conduit.gateway.edge.logging.Exchange;
import io.conduit.gateway.edge.logging.Telemetry;
import io.conduit.gateway.edge.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs one step of a rule inside a real request (a Vert.x server on a free port and one client call), so
 * the step has the {@link RequestData} and {@link Exchange} it has in the gateway; the step's sinks are
 * the test's own. A test class registers one ({@code @RegisterExtension}): it starts before the class's
 * tests and stops after them.
 */
final class StepHarness implements BeforeAllCallback, AfterAllCallback {
    Vertx vertx;
    final Metrics metrics = new Metrics();
    private Telemetry telemetry;
    private HttpServer server;
    private HttpClient client;
    private volatile Function<RequestData, Future<?>> step;
    private volatile CompletableFuture<Object> result;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        vertx = Vertx.vertx();
        telemetry = new Telemetry(metrics, EventLog.open(null, metrics));
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        client = vertx.createHttpClient();
    }

    private void handle(HttpServerRequest request) {
        Exchange exchange = telemetry.begin(request, "req-1");
        RequestData data = RequestData.of(request, exchange, Map.of());
        Future<?> done;
        try {
            done = step.apply(data);
        } catch (RuntimeException e) {
            done = Future.failedFuture(e);
        }
        done.onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(ar.result());
            } else {
                result.completeExceptionally(ar.cause());
            }
            request.response().end();
        });
    }

    /** Runs {@code step} in a request and gives its result, or throws the failure it ended with. */
    @SuppressWarnings("unchecked")
    <T> T run(Function<RequestData, Future<T>> step) throws Throwable {
        this.step = (Function<RequestData, Future<?>>) (Function<RequestData, ?>) step;
        this.result = new CompletableFuture<>();
        client.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/step").compose(r -> r.send())
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            return (T) result.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
