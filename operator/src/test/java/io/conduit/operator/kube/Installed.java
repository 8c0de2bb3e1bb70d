package io.conduit.operator.kube;

import io.conduit.testsupport.KubeCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.nio.file.Path;

/**
 * The real API server with Conduit installed as a user installs it: {@code kubectl apply -f manifests/} (CRDs,
 * namespace, RBAC, operator Deployment), once per JVM, since every *KubeIT shares the one control plane.
 */
final class Installed {
    static final Path ROOT = Path.of("..");
    static final String OPERATOR_NAMESPACE = "conduit-system";
    static final String OPERATOR_ACCOUNT = "conduit-operator";

    private static String applyOutput;

    private Installed() {
    }

    /** Applies manifests/ (the first call does; later ones return what it printed) and waits for the CRDs. */
    static synchronized String manifests(KubeCluster cluster) {
        if (applyOutput == null) {
            applyOutput = cluster.kubectl("apply", "-f", ROOT.resolve("manifests").toString()).orThrow();
            cluster.kubectl("wait", "--for=condition=Established", "--timeout=60s",
                    "crd/edgegateways.conduit.io", "crd/routerules.conduit.io", "crd/queuebackends.conduit.io",
                    "crd/blobbackends.conduit.io").orThrow();
        }
        return applyOutput;
    }

    /** A fresh namespace for one test class; tests never share objects. */
    static String namespace(KubeCluster cluster, String name) {
        cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .createOr(r -> r.update());
        return name;
    }

    /**
     * A client that is {@code account} and nothing more: a token from the TokenRequest API, no client certificate,
     * so every request is authorized by the RBAC bound to that ServiceAccount.
     */
    static Config serviceAccount(KubeCluster cluster, String namespace, String account) {
        String token = cluster.client().serviceAccounts().inNamespace(namespace).withName(account)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        return new ConfigBuilder(cluster.config())
                .withClientCertFile(null).withClientCertData(null).withClientKeyFile(null).withClientKeyData(null)
                .withUsername(null).withPassword(null)
                .withOauthToken(token)
                .build();
    }
}
