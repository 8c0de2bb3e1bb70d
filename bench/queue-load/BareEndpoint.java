import io.vertx.core.Vertx;

/**
 * The ceiling for the queue benchmark: one Vert.x HTTP server, like the gateway's traffic server,
 * that reads the whole body and answers 202 with a small JSON without writing anything anywhere.
 * Run with the gateway jar on the class path: java -cp conduit-gateway.jar BareEndpoint.java PORT
 */
public class BareEndpoint {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx();
        vertx.createHttpServer()
                .requestHandler(request -> request.body().onComplete(body -> request.response()
                        .setStatusCode(202)
                        .putHeader("Content-Type", "application/json")
                        .end("{\"accepted\":true,\"queueRef\":{\"backend\":\"none\"}}")))
                .listen(port, "127.0.0.1")
                .onSuccess(server -> System.out.println("bare endpoint listening on " + server.actualPort()))
                .onFailure(error -> {
                    error.printStackTrace();
                    System.exit(1);
                });
    }
}
