package io.conduit.operator.kube;

import io.conduit.testsupport.KubeCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator's client on the real server: authenticated as a ServiceAccount ({@link Installed#serviceAccount}),
 * and noting every request the server refused with 403, so a test can say "not one" or "this one", and every
 * request for Secrets, so a test can say which Secrets the operator touched.
 */
final class OperatorClient {
    private final KubernetesClient client;
    private final List<String> forbidden = new CopyOnWriteArrayList<>();
    private final List<String> secretRequests = new CopyOnWriteArrayList<>();
    private final AtomicLong requests = new AtomicLong();

    private OperatorClient(KubeCluster cluster, String namespace, String account) {
        this.client = new KubernetesClientBuilder().withConfig(Installed.serviceAccount(cluster, namespace, account))
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("conduit-forbidden", new Interceptor() {
                    @Override
                    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
                        requests.incrementAndGet();
                        if (request.uri().getPath().contains("/secrets")) {
                            secretRequests.add(request.method() + " " + request.uri());
                        }
                        if (response.code() == 403) {
                            forbidden.add(request.method() + " " + request.uri());
                        }
                    }
                }))
                .build();
    }

    static OperatorClient as(KubeCluster cluster, String namespace, String account) {
        return new OperatorClient(cluster, namespace, account);
    }

    KubernetesClient client() {
        return client;
    }

    /** The requests refused with 403 so far, as {@code METHOD uri}. */
    List<String> forbidden() {
        return List.copyOf(forbidden);
    }

    /** The requests sent for Secrets so far, as {@code METHOD uri}: what the operator listed, watched and read. */
    List<String> secretRequests() {
        return List.copyOf(secretRequests);
    }

    long requests() {
        return requests.get();
    }
}
