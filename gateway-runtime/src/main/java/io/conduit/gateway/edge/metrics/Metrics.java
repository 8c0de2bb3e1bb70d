package io.conduit.gateway.edge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's metrics, one registry per gateway, scraped as Prometheus text at {@code /metrics} on
 * the admin port. Other code records through these named methods, never through the registry, so
 * every metric has one name, one set of labels and one place that documents it.
 */
public final class Metrics {
    /** The tenant label before a request is authenticated (or when auth is off). */
    public static final String NO_TENANT = "-";
    /** The rule label of a request no rule matched (404, 405, 415, built-in endpoints). */
    public static final String NO_RULE = "-";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger webSockets = new AtomicInteger();
    private final MultiGauge configInfo;
    private final Map<String, AtomicInteger> mirrorPending = new ConcurrentHashMap<>();
    private final Map<RequestKey, RequestMeters> requestMeters = new ConcurrentHashMap<>();
    private final Map<BackendKey, BackendMeters> backendMeters = new ConcurrentHashMap<>();

    public Metrics() {
        Gauge.builder("conduit.http.requests.in.flight", inFlight, AtomicInteger::get)
                .description("Requests being handled now").register(registry);
        Gauge.builder("conduit.websocket.connections", webSockets, AtomicInteger::get)
                .description("Open WebSocket connections").register(registry);
        configInfo = MultiGauge.builder("conduit.config.info")
                .description("The config revision being served (value 1)").register(registry);
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    // ---- HTTP ---------------------------------------------------------------------------------

    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    public int requestsInFlight() {
        return inFlight.get();
    }

    /** One answered (or abandoned) request: counts, latency, and the bytes it moved. */
    public void requestFinished(String rule, String method, int status, String tenant, long nanos, long bytesIn, long bytesOut) {
        inFlight.decrementAndGet();
        RequestMeters meters = requestMeters.computeIfAbsent(new RequestKey(rule, method, status, tenant), this::requestMeters);
        meters.requests().increment();
        meters.duration().record(nanos, TimeUnit.NANOSECONDS);
        meters.received().increment(bytesIn);
        meters.sent().increment(bytesOut);
    }

    /** The meters of one label set, looked up once: building and registering them per request cost more than recording. */
    private record RequestKey(String rule, String method, int status, String tenant) {
    }

    private record RequestMeters(Counter requests, Timer duration, Counter received, Counter sent) {
    }

    private RequestMeters requestMeters(RequestKey key) {
        return new RequestMeters(
                Counter.builder("conduit.http.requests").description("HTTP requests answered, by rule, method, status and tenant")
                        .tags("rule", key.rule(), "method", key.method(), "status", Integer.toString(key.status()),
                                "tenant", key.tenant())
                        .register(registry),
                // A histogram, not client-side quantiles: buckets add up across replicas, so p50/p95/p99 of the
                // whole gateway come from histogram_quantile() over the sum.
                Timer.builder("conduit.http.request.duration").description("Time from request to the end of the answer")
                        .tags("rule", key.rule(), "method", key.method())
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(60))
                        .register(registry),
                Counter.builder("conduit.http.received.bytes").description("Request body bytes read").baseUnit("bytes")
                        .tags("rule", key.rule(), "tenant", key.tenant()).register(registry),
                Counter.builder("conduit.http.sent.bytes").description("Response bytes written").baseUnit("bytes")
                        .tags("rule", key.rule(), "tenant", key.tenant()).register(registry));
    }

    // ---- backends -----------------------------------------------------------------------------

    /** One write attempt to a backend (a queue send or a blob commit), successful or not. */
    public void backendWrite(String backend, String type, long nanos, boolean ok) {
        BackendMeters meters = backendMeters.computeIfAbsent(new BackendKey(backend, type, ok), this::backendMeters);
        meters.duration().record(nanos, TimeUnit.NANOSECONDS);
        if (meters.errors() != null) {
            meters.errors().increment();
        }
    }

    private record BackendKey(String backend, String type, boolean ok) {
    }

    private record BackendMeters(Timer duration, Counter errors) {
    }

    private BackendMeters backendMeters(BackendKey key) {
        // A histogram, like the request duration: it adds up across replicas, and recording into
        // buckets is cheaper than keeping client-side quantiles per write.
        Timer duration = Timer.builder("conduit.backend.write.duration").description("Time of one backend write attempt")
                .tags("backend", key.backend(), "type", key.type(), "outcome", key.ok() ? "ok" : "error")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        Counter errors = key.ok() ? null : Counter.builder("conduit.backend.write.errors").description("Failed backend write attempts")
                .tags("backend", key.backend(), "type", key.type()).register(registry);
        return new BackendMeters(duration, errors);
    }

    /** A transient backend failure about to be retried. */
    public void retry(String backend) {
        Counter.builder("conduit.backend.retries").description("Backend calls retried after a transient failure")
                .tags("backend", backend).register(registry).increment();
    }

    /** A follow-up envelope written to its dead-letter queue instead. */
    public void deadLetter(String backend) {
        Counter.builder("conduit.dlq.writes").description("Envelopes sent to a dead-letter queue")
                .tags("backend", backend).register(registry).increment();
    }

    /** How many stored blobs of {@code backend} still wait to be copied to one of its mirrors. */
    public void mirrorPending(String backend, int count) {
        mirrorPending.computeIfAbsent(backend, b -> {
            AtomicInteger holder = new AtomicInteger();
            Gauge.builder("conduit.mirror.pending", holder, AtomicInteger::get)
                    .description("Stored blobs waiting to be copied to their backend's mirrors")
                    .tags("backend", b).register(registry);
            return holder;
        }).set(count);
    }

    /** One attempt to copy a blob of {@code backend} to {@code mirror}: {@code ok} or {@code error}. */
    public void mirrorCopy(String backend, String mirror, boolean ok) {
        Counter.builder("conduit.mirror.copies").description("Blob copies to mirror backends, by result")
                .tags("backend", backend, "mirror", mirror, "result", ok ? "ok" : "error").register(registry).increment();
    }

    /** A copy to {@code mirror} given up because the mirror refused it for good (result {@code set_aside}). */
    public void mirrorCopySetAside(String backend, String mirror) {
        Counter.builder("conduit.mirror.copies").description("Blob copies to mirror backends, by result")
                .tags("backend", backend, "mirror", mirror, "result", "set_aside").register(registry).increment();
    }

    // ---- edge policies ------------------------------------------------------------------------

    /** A request refused by a rate limit: {@code limit} is the limit's name, or {@code quota:<field>} for a tenant quota. */
    public void rateLimited(String limit, String tenant) {
        Counter.builder("conduit.rate.limit.rejections").description("Requests refused with 429 by a rate limit")
                .tags("limit", limit, "tenant", tenant == null ? NO_TENANT : tenant).register(registry).increment();
    }

    /** A request refused by auth: {@code reason} is one of missing, invalid, forbidden. */
    public void authFailure(String reason) {
        Counter.builder("conduit.auth.failures").description("Requests refused with 401 or 403")
                .tags("reason", reason).register(registry).increment();
    }

    // ---- config -------------------------------------------------------------------------------

    /** A config load or push: {@code result} is applied, unchanged or refused. */
    public void configReload(String result, String source) {
        Counter.builder("conduit.config.reloads").description("Config loads and pushes, by result")
                .tags("result", result, "source", source).register(registry).increment();
    }

    public void activeRevision(String revision) {
        configInfo.register(revision == null ? List.of()
                : List.of(MultiGauge.Row.of(Tags.of("revision", revision), 1)), true);
    }

    // ---- WebSocket ----------------------------------------------------------------------------

    public void webSocketOpened() {
        webSockets.incrementAndGet();
    }

    public void webSocketClosed() {
        webSockets.decrementAndGet();
    }

    /** One WebSocket message: {@code direction} in (from the client) or out (acknowledgements). */
    public void webSocketFrame(String rule, String direction) {
        Counter.builder("conduit.websocket.frames").description("WebSocket messages, by rule and direction")
                .tags("rule", rule, "direction", direction).register(registry).increment();
    }

    // ---- the log itself -----------------------------------------------------------------------

    public void logLineDropped() {
        Counter.builder("conduit.log.lines.dropped").description("JSON log lines dropped because the writer fell behind")
                .register(registry).increment();
    }
}
