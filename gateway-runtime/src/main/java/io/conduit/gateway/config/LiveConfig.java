package io.conduit.gateway.config;

import io.conduit.config.GatewayConfig;
import io.conduit.config.GatewayCredentials;
import io.conduit.gateway.blob.BlobSink;
import io.conduit.gateway.edge.EdgePolicies;
import io.conduit.gateway.queue.QueueSink;
import io.conduit.gateway.routing.RouteTable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One config as it serves: the route table, the sinks it writes to and its compiled edge policies. A request holds the LiveConfig
 * it started on until it ends, so a reload never changes the rules under a request in flight. When a
 * retired config's last request ends, the sinks the new config does not reuse are closed.
 */
public final class LiveConfig {
    private final GatewayConfig config;
    private final GatewayCredentials credentials;
    private final RouteTable routes;
    private final Map<String, BlobSink> blobSinks;
    private final Map<String, QueueSink> queueSinks;
    private final EdgePolicies edge;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean retired;
    private volatile Runnable onDrained;
    private final AtomicBoolean drainedOnce = new AtomicBoolean();

    LiveConfig(GatewayConfig config, GatewayCredentials credentials, RouteTable routes, Map<String, BlobSink> blobSinks,
               Map<String, QueueSink> queueSinks, EdgePolicies edge) {
        this.config = config;
        this.credentials = credentials;
        this.routes = routes;
        this.blobSinks = Map.copyOf(blobSinks);
        this.queueSinks = Map.copyOf(queueSinks);
        this.edge = edge;
    }

    public GatewayConfig config() {
        return config;
    }

    public GatewayCredentials credentials() {
        return credentials;
    }

    public String revision() {
        return config.revision();
    }

    public RouteTable routes() {
        return routes;
    }

    /** The edge policies compiled for this config (CORS, auth, quotas, rate limits). */
    public EdgePolicies edge() {
        return edge;
    }

    public Optional<BlobSink> blobSink(String name) {
        return Optional.ofNullable(blobSinks.get(name));
    }

    public Optional<QueueSink> queueSink(String name) {
        return Optional.ofNullable(queueSinks.get(name));
    }

    Map<String, BlobSink> blobSinks() {
        return blobSinks;
    }

    Map<String, QueueSink> queueSinks() {
        return queueSinks;
    }

    /** Marks a request as running on this config; pair with {@link #release()}. */
    boolean acquire() {
        inFlight.incrementAndGet();
        if (retired) {
            release();
            return false;
        }
        return true;
    }

    public void release() {
        if (inFlight.decrementAndGet() == 0 && retired) {
            drained();
        }
    }

    int inFlight() {
        return inFlight.get();
    }

    void retire(Runnable whenDrained) {
        onDrained = whenDrained;
        retired = true;
        if (inFlight.get() == 0) {
            drained();
        }
    }

    private void drained() {
        // release() and retire() may both see the count at zero: run the callback once.
        if (drainedOnce.compareAndSet(false, true)) {
            Runnable r = onDrained;
            if (r != null) {
                r.run();
            }
        }
    }
}
