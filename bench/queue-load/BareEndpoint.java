import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;

/**
 * The ceiling for the queue benchmark: Vert.x HTTP servers built like the gateway's traffic servers
 * (one per event loop, sharing the port) that read the whole body and answer 202 with a small JSON
 * without writing anything anywhere.
 * Run with the gateway jar on the class path: java -cp conduit-gateway.jar BareEndpoint.java PORT [EVENT_LOOPS]
 */
public class BareEndpoint {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(() -> new VerticleBase() {
                    @Override
                    public Future<?> start() {
                        return vertx.createHttpServer()
                                .requestHandler(request -> request.body().onComplete(body -> request.response()
                                        .setStatusCode(202)
                                        .putHeader("Content-Type", "application/json")
                                        .end("{\"accepted\":true,\"queueRef\":{\"backend\":\"none\"}}")))
                                .listen(port, "127.0.0.1");
                    }
                }, new DeploymentOptions().setInstances(loops))
                .onSuccess(id -> System.out.println("bare endpoint listening on " + port + " with " + loops + " event loop(s)"))
                .onFailure(error -> {
                    error.printStackTrace();
                    System.exit(1);
                });
    }
}
