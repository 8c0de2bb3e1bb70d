package io.conduit.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The one way operator tests start: the generated CRDs created in Fabric8's mock API server (so the
 * status subresource and generations behave), and an operator in the same non-SSA mode as production.
 */
public final class OperatorMockServer {
    private OperatorMockServer() {
    }

    public static Operator start(KubernetesClient client, Reconciler<?>... reconcilers) {
        return start(client, client, reconcilers);
    }

    /** With a client of the operator's own, e.g. to tell its requests from the test's ({@link #OPERATOR_AGENT}). */
    public static Operator start(KubernetesClient client, KubernetesClient operatorClient, Reconciler<?>... reconcilers) {
        return start(client, operatorClient, OperatorSettings.from(java.util.Map.of()), reconcilers);
    }

    /** Registered as {@link ConduitOperator#main} registers them, for the namespaces of {@code settings}. */
    public static Operator start(KubernetesClient client, KubernetesClient operatorClient, OperatorSettings settings,
                                 Reconciler<?>... reconcilers) {
        loadCrds(client);
        Operator operator = new Operator(o -> {
            OperatorMode.apply(o);
            o.withKubernetesClient(operatorClient).withCloseClientOnStop(false);
        });
        for (Reconciler<?> reconciler : reconcilers) {
            ConduitOperator.register(operator, reconciler, settings);
        }
        operator.start();
        return operator;
    }

    public static final String OPERATOR_AGENT = "conduit-operator-under-test";

    /** A client to the same mock server whose requests carry the User-Agent {@link #OPERATOR_AGENT}. */
    public static KubernetesClient operatorClient(KubernetesClient client) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withUserAgent(OPERATOR_AGENT).build()).build();
    }

    static void loadCrds(KubernetesClient client) {
        try (Stream<Path> crds = Files.list(Path.of("..", "manifests", "crds"))) {
            for (Path crd : crds.filter(p -> p.toString().endsWith(".yml")).toList()) {
                try (InputStream in = Files.newInputStream(crd)) {
                    client.resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).createOr(c -> c.update());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates or updates every document of {@code yaml} in {@code namespace}, as {@code kubectl apply} would. */
    public static void apply(KubernetesClient client, String namespace, String yaml) {
        for (String doc : yaml.split("(?m)^---$")) {
            if (doc.isBlank()) {
                continue;
            }
            HasMetadata resource = Serialization.unmarshal(doc);
            // An update races the operator's own status writes (409 on a stale resourceVersion): try again, as kubectl does.
            for (int attempt = 1; ; attempt++) {
                try {
                    client.resource(resource).inNamespace(namespace).createOr(r -> r.update());
                    break;
                } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                    if (e.getCode() != 409 || attempt == 10) {
                        throw e;
                    }
                }
            }
        }
    }
}
