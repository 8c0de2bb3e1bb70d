package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CORS as a browser sees it: pages served from two other origins on localhost call the gateway with
 * fetch() in real headless Chromium; the allowed origin's uploads and enqueues go through (preflight
 * included, since they carry a token), the other origin's are blocked by the browser.
 */
class CorsBrowserIT {
    @TempDir
    static Path root;
    static HttpServer allowedSite;
    static HttpServer otherSite;
    static GatewayHarness gw;
    static HeadlessChromium chromium;

    @BeforeAll
    static void start() throws Exception {
        allowedSite = site();
        otherSite = site();
        gw = GatewayHarness.start(root, """
                apiVersion: v1
                kind: Secret
                metadata: {name: edge-tokens}
                stringData: {acme: tok-acme}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge}
                spec:
                  auth: {tokensSecretRef: {name: edge-tokens}}
                  cors:
                    allowOrigins: ["%s", "https://*.example.com"]
                    allowMethods: [GET, POST]
                    allowHeaders: [Authorization, Content-Type]
                    maxAge: 600
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: orders}
                spec:
                  when: {http: {method: POST, path: /orders}}
                  send: {queue: {backendRef: {name: queues}, queue: orders}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: upload}
                spec:
                  when: {http: {method: POST, path: /upload}}
                  send: {blob: {backendRef: {name: blobs}}}
                """.formatted(origin(allowedSite)));
        chromium = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (gw != null) {
            gw.close();
        }
        if (allowedSite != null) {
            allowedSite.stop(0);
        }
        if (otherSite != null) {
            otherSite.stop(0);
        }
    }

    /** A static page on a free port: its own origin. */
    static HttpServer site() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] page = "<!doctype html><title>partner</title><p>partner app</p>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
        return server;
    }

    static String origin(HttpServer site) {
        return "http://127.0.0.1:" + site.getAddress().getPort();
    }

    String fetchFrom(HttpServer site, String path, String contentType, String body) throws Exception {
        String script = """
                fetch('%s', {method: 'POST', headers: {'Authorization': 'Bearer tok-acme', 'Content-Type': '%s'}, body: %s})
                  .then(r => r.text().then(t => r.status + ' ' + t))
                  .catch(e => 'blocked: ' + e.message)
                """.formatted(gw.uri(path), contentType, body);
        return chromium.run(origin(site) + "/", script);
    }

    int spooledJobs() throws Exception {
        return (int) GatewayHarness.files(gw.queues).stream().filter(f -> f.startsWith("orders/")).count();
    }

    @Test
    void theAllowedOriginEnqueuesAndUploadsFromTheBrowser() throws Exception {
        String enqueued = fetchFrom(allowedSite, "/orders", "application/json", "JSON.stringify({item: 'book'})");
        assertThat(enqueued).startsWith("202 ").contains("queueRef");

        String uploaded = fetchFrom(allowedSite, "/upload", "application/octet-stream",
                "new Blob([new Uint8Array([1, 2, 3, 4])])");
        assertThat(uploaded).startsWith("201 ").contains("\"size\":4");
    }

    @Test
    void anotherOriginIsBlockedByTheBrowserAndNothingReachesTheBackend() throws Exception {
        int before = spooledJobs();
        double preflights = preflightsAnswered();
        String result = fetchFrom(otherSite, "/orders", "application/json", "JSON.stringify({item: 'book'})");

        assertThat(result).startsWith("blocked: ");
        // Blocked by the gateway's answer, not by some network failure: the browser's preflight reached the gateway and
        // was answered, and the answer to that origin's preflight carries no CORS header.
        assertThat(preflightsAnswered()).as("preflights the gateway answered").isEqualTo(preflights + 1);
        assertThat(preflight(origin(otherSite)).headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
        assertThat(spooledJobs()).as("the preflight failed, so the POST was never sent").isEqualTo(before);
    }

    @Test
    void preflightAnswersForAnAllowedOriginOnlyAndWildcardsMatchSubdomains() throws Exception {
        HttpResponse<String> allowed = preflight("https://app.example.com");
        assertThat(allowed.statusCode()).isEqualTo(204);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, POST");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers")).hasValue("Authorization, Content-Type");
        assertThat(allowed.headers().firstValue("Access-Control-Max-Age")).hasValue("600");

        for (String denied : new String[] {"https://example.com", "http://app.example.com", "https://app.example.org"}) {
            HttpResponse<String> response = preflight(denied);
            assertThat(response.headers().map().keySet()).as(denied)
                    .noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
        }
    }

    @Test
    void errorAnswersToAnAllowedOriginAreReadableTooSoThePageSeesTheJsonError() throws Exception {
        HttpResponse<String> response = gw.send(HttpRequest.newBuilder(gw.uri("/orders"))
                .header("Origin", origin(allowedSite)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(origin(allowedSite));
    }

    /** OPTIONS requests the gateway answered, from its own metrics. */
    double preflightsAnswered() throws Exception {
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.admin("/metrics")).GET().build());
        return PrometheusText.parse(r.body()).samples.entrySet().stream()
                .filter(e -> e.getKey().startsWith("conduit_http_requests_total{") && e.getKey().contains("method=\"OPTIONS\""))
                .mapToDouble(java.util.Map.Entry::getValue).sum();
    }

    HttpResponse<String> preflight(String origin) throws Exception {
        return gw.send(HttpRequest.newBuilder(gw.uri("/orders")).header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    }

}
