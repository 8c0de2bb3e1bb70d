package io.conduit.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.testsupport.KubeCluster;
import io.conduit.testsupport.KubeCluster.KubectlResult;
import io.conduit.testsupport.RealKubernetes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The install on a real API server: manifests/ applies, every example is valid as the server (not just our
 * schema reading) judges it, each CEL rule and the key OpenAPI constraints refuse what breaks them with their own
 * message, and kubectl shows the printer columns.
 */
@ExtendWith(RealKubernetes.class)
class InstallKubeIT {
    static final String NS = "kube-install";
    /** Argo CD's own kinds: their CRDs belong to Argo CD, which this cluster does not run. */
    static final String ARGO_GROUP = "argoproj.io/";

    static KubeCluster cluster;

    @BeforeAll
    static void install(KubeCluster kube) {
        cluster = kube;
        Installed.manifests(cluster);
        Installed.namespace(cluster, NS);
    }

    @Test
    void kubectlApplyOfManifestsInstallsCrdsRbacAndTheOperator() {
        assertThat(Installed.manifests(cluster)).contains(
                "customresourcedefinition.apiextensions.k8s.io/edgegateways.conduit.io",
                "namespace/conduit-system",
                "clusterrole.rbac.authorization.k8s.io/conduit-operator",
                "deployment.apps/conduit-operator");
        // Applying again creates nothing: what a GitOps tool does on every sync. (The CRDs may read "configured":
        // operator tests also load them with a plain update, which drops kubectl's last-applied annotation.)
        String again = cluster.kubectl("apply", "-f", Installed.ROOT.resolve("manifests").toString()).orThrow();
        assertThat(again).doesNotContain("created").contains("deployment.apps/conduit-operator unchanged");
        assertThat(cluster.kubectl("get", "deployment/conduit-operator", "-n", Installed.OPERATOR_NAMESPACE,
                "-o", "jsonpath={.spec.template.spec.serviceAccountName}").orThrow()).isEqualTo(Installed.OPERATOR_ACCOUNT);
    }

    static Stream<Arguments> exampleDocuments() throws IOException {
        List<Arguments> docs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Installed.ROOT.resolve("examples"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList()) {
                String[] parts = Files.readString(file).split("(?m)^---\\s*$");
                for (int i = 0; i < parts.length; i++) {
                    String doc = parts[i];
                    if (doc.lines().noneMatch(l -> l.startsWith("kind:"))) {
                        continue; // Argo CD's health test definitions and other non-objects
                    }
                    docs.add(Arguments.of(Installed.ROOT.relativize(file) + "#" + i, doc));
                }
            }
        }
        return docs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exampleDocuments")
    void everyExampleObjectPassesAServerSideDryRun(String where, String doc) {
        GenericKubernetesResource object = Serialization.unmarshal(doc, GenericKubernetesResource.class);
        if (object.getApiVersion().startsWith(ARGO_GROUP)) {
            System.out.println("not dry-run (Argo CD is not installed here): " + where + " " + object.getKind());
            return;
        }
        String namespace = object.getMetadata().getNamespace();
        if (namespace != null) {
            Installed.namespace(cluster, namespace); // a namespace the example also creates, or Argo CD's own
        }
        KubectlResult result = cluster.kubectlWithInput(doc, "apply", "--dry-run=server", "-n", namespace == null ? NS : namespace, "-f", "-");
        assertThat(result.ok()).as(where + ": " + result.stderr()).isTrue();
        assertThat(result.stdout()).contains("(server dry run)");
    }

    static Stream<Arguments> brokenObjects() {
        return Stream.of(
                Arguments.of("s3 settings are required when type is s3", """
                        kind: BlobBackend
                        spec: {type: s3}"""),
                Arguments.of("local settings are required when type is local", """
                        kind: BlobBackend
                        spec: {type: local}"""),
                Arguments.of("keyTemplate and contentAddressed are exclusive", """
                        kind: BlobBackend
                        spec: {type: local, local: {path: /data}, contentAddressed: true, keyTemplate: "{uuid}"}"""),
                Arguments.of("redis settings are required when type is redis", """
                        kind: QueueBackend
                        spec: {type: redis}"""),
                Arguments.of("kafka settings are required when type is kafka", """
                        kind: QueueBackend
                        spec: {type: kafka}"""),
                Arguments.of("spool settings are required when type is spool", """
                        kind: QueueBackend
                        spec: {type: spool}"""),
                Arguments.of("exactly one of send.blob and send.queue must be set", """
                        kind: RouteRule
                        spec:
                          when: {http: {path: /x}}
                          send: {blob: {backendRef: {name: b}}, queue: {backendRef: {name: q}, queue: jobs}}"""),
                Arguments.of("exactly one of send.blob and send.queue must be set", """
                        kind: RouteRule
                        spec:
                          when: {http: {path: /x}}
                          send: {}"""),
                Arguments.of("value is required unless type is Present", """
                        kind: RouteRule
                        spec:
                          when: {http: {path: /x, headers: [{name: X-Tenant, type: Exact}]}}
                          send: {queue: {backendRef: {name: q}, queue: jobs}}"""),
                Arguments.of("exactly one of when.http and when.ws must be set", """
                        kind: RouteRule
                        spec:
                          when: {}
                          send: {queue: {backendRef: {name: q}, queue: jobs}}"""),
                // OpenAPI constraints: enum, pattern, minimum, required.
                Arguments.of("Unsupported value: \"ftp\"", """
                        kind: BlobBackend
                        spec: {type: ftp}"""),
                Arguments.of("spec.when.http.method: Invalid value", """
                        kind: RouteRule
                        spec:
                          when: {http: {method: FETCH, path: /x}}
                          send: {queue: {backendRef: {name: q}, queue: jobs}}"""),
                Arguments.of("spec.when.http.path: Invalid value", """
                        kind: RouteRule
                        spec:
                          when: {http: {path: upload}}
                          send: {queue: {backendRef: {name: q}, queue: jobs}}"""),
                Arguments.of("spec.rateLimits[0].ruleRefs[0].name: Invalid value", """
                        kind: EdgeGateway
                        spec:
                          rateLimits: [{name: l, key: ip, requestsPerSecond: 1, ruleRefs: [{name: shop/ping}]}]"""),
                Arguments.of("spec.replicas: Invalid value: -1", """
                        kind: EdgeGateway
                        spec: {replicas: -1}"""),
                Arguments.of("spec.type: Required value", """
                        kind: QueueBackend
                        spec: {spool: {path: /q}}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenObjects")
    void theServerRefusesWhatBreaksARuleWithItsMessage(String message, String object) {
        String yaml = "apiVersion: conduit.io/v1alpha1\nmetadata: {name: broken}\n" + object + "\n";
        KubectlResult result = cluster.kubectlWithInput(yaml, "apply", "--dry-run=server", "-n", NS, "-f", "-");
        assertThat(result.ok()).as("accepted:\n" + yaml).isFalse();
        assertThat(result.stderr()).contains(message);
    }

    @Test
    void kubectlGetShowsThePrinterColumns() {
        cluster.kubectlWithInput("""
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: columns}
                spec: {type: spool, spool: {path: /q}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: BlobBackend
                metadata: {name: columns}
                spec: {type: local, local: {path: /b}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: columns}
                spec:
                  when: {http: {method: POST, path: /columns}}
                  send: {queue: {backendRef: {name: columns}, queue: jobs}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: columns}
                spec: {replicas: 0}
                """, "apply", "-n", NS, "-f", "-").orThrow();
        String table = cluster.kubectl("get", "edgegateways,routerules,blobbackends,queuebackends", "-n", NS).orThrow();
        // AGE comes first (kubectl's place for it); Reason and Revision have priority 1 and show with -o wide.
        assertThat(table).containsPattern("NAME +AGE +REPLICAS +ROUTES +READY +AVAILABLE +UP-TO-DATE")
                .containsPattern("NAME +AGE +METHOD +PATH +ACCEPTED +PROGRAMMED")
                .containsPattern("routerule.conduit.io/columns +\\S+ +POST +/columns")
                .containsPattern("NAME +AGE +TYPE +READY")
                .containsPattern("queuebackend.conduit.io/columns +\\S+ +spool")
                .containsPattern("blobbackend.conduit.io/columns +\\S+ +local");
    }
}
