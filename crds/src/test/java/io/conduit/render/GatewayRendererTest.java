package io.conduit.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.conduit.config.BlobBackendConfig;
import io.conduit.config.ConfigJson;
import io.conduit.config.GatewayConfig;
import io.conduit.config.QueueBackendConfig;
import io.conduit.config.RouteConfig;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GatewayRendererTest {

    /** Two blob and two queue backends in namespace shop; rules below use some of them. */
    private static final String BACKENDS = """
            apiVersion: conduit.io/v1alpha1
            kind: BlobBackend
            metadata: {name: files, namespace: shop}
            spec:
              type: local
              local: {path: /data/blobs}
              maxSize: 1Gi
            ---
            apiVersion: conduit.io/v1alpha1
            kind: BlobBackend
            metadata: {name: archive, namespace: shop}
            spec:
              type: local
              local: {path: /data/archive}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: QueueBackend
            metadata: {name: jobs, namespace: shop}
            spec:
              type: spool
              spool: {path: /data/spool}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: QueueBackend
            metadata: {name: audit, namespace: shop}
            spec:
              type: spool
              spool: {path: /data/audit}
            """;

    private static final String UPLOAD_RULE = """
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: upload, namespace: shop, generation: 3}
            spec:
              when:
                http: {method: POST, path: /files/**}
              send:
                blob: {backendRef: {name: files}, maxSize: 10Mi}
              onComplete:
                enqueue:
                  backendRef: {name: jobs}
                  to: uploads
                  envelope: {type: file_uploaded, payload: {blobRef: $blobRef, tenant: $tenant}}
            """;

    private static final String ORDER_RULE = """
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: orders, namespace: shop, generation: 1}
            spec:
              when:
                http: {method: POST, path: "/orders/{id}", contentType: application/json}
              send:
                queue:
                  backendRef: {name: jobs}
                  queue: orders
                  message: {orderId: $path.id, order: $body}
            """;

    private final GatewayRenderer renderer = new GatewayRenderer();

    private RenderResult standalone(String... yamls) {
        return renderer.renderStandalone(Resources.parse(yamls), null);
    }

    private static RouteConfig route(RenderResult result, String id) {
        return result.config().routes().stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no route " + id + " in " + result.config().routes()));
    }

    private static RuleVerdict verdict(RenderResult result, String ruleName) {
        return result.rules().stream().filter(v -> v.rule().name().equals(ruleName)).findFirst()
                .orElseThrow(() -> new AssertionError("no verdict for " + ruleName + " in " + result.rules()));
    }

    @Nested
    class ValidRules {
        @Test
        void blobAndQueueRulesRenderWithOnlyTheBackendsTheyUse() {
            RenderResult result = standalone(BACKENDS, UPLOAD_RULE, ORDER_RULE);

            assertThat(result.problems()).isEmpty();
            GatewayConfig config = result.config();
            assertThat(config.routes()).extracting(RouteConfig::id).containsExactly("shop/orders", "shop/upload");
            assertThat(config.blobBackends()).extracting(BlobBackendConfig::name).containsExactly("files");
            assertThat(config.queueBackends()).extracting(QueueBackendConfig::name).containsExactly("jobs");
            assertThat(result.rules()).hasSize(2).allMatch(RuleVerdict::served);
        }

        @Test
        void blobRouteCarriesItsMatchSizeAndEnvelope() {
            RouteConfig upload = route(standalone(BACKENDS, UPLOAD_RULE), "shop/upload");

            assertThat(upload.generation()).isEqualTo(3);
            assertThat(upload.match().method()).isEqualTo("POST");
            assertThat(upload.match().path()).isEqualTo("/files/**");
            assertThat(upload.queue()).isNull();
            assertThat(upload.blob().backend()).isEqualTo("files");
            assertThat(upload.blob().maxSize()).as("the rule's 10Mi under the backend's 1Gi").isEqualTo(10L << 20);
            assertThat(upload.blob().computeHash()).isTrue();
            assertThat(upload.onComplete().backend()).isEqualTo("jobs");
            assertThat(upload.onComplete().to()).isEqualTo("uploads");
            assertThat(upload.onComplete().envelope().at("/payload/blobRef")).isEqualTo(TextNode.valueOf("$blobRef"));
        }

        @Test
        void queueRouteKeepsItsMessageTemplateAsWritten() {
            RouteConfig orders = route(standalone(BACKENDS, ORDER_RULE), "shop/orders");

            assertThat(orders.blob()).isNull();
            assertThat(orders.queue().backend()).isEqualTo("jobs");
            assertThat(orders.queue().queue()).isEqualTo("orders");
            assertThat(orders.queue().message()).isEqualTo(JsonNodeFactory.instance.objectNode()
                    .put("orderId", "$path.id").put("order", "$body"));
            assertThat(orders.match().contentType()).isEqualTo("application/json");
        }

        @Test
        void aRuleMaxSizeAboveTheBackendsIsCappedByTheBackend() {
            RouteConfig upload = route(standalone(BACKENDS, UPLOAD_RULE.replace("maxSize: 10Mi", "maxSize: 5Gi")), "shop/upload");
            assertThat(upload.blob().maxSize()).isEqualTo(1L << 30);
        }
    }

    @Nested
    class Revision {
        @Test
        void isStableAcrossRendersOfTheSameResources() {
            String first = standalone(BACKENDS, UPLOAD_RULE, ORDER_RULE).config().revision();
            String second = standalone(BACKENDS, UPLOAD_RULE, ORDER_RULE).config().revision();

            assertThat(first).matches("[0-9a-f]{16}").isEqualTo(second);
        }

        @Test
        void doesNotDependOnTheOrderResourcesAreListed() {
            assertThat(standalone(ORDER_RULE, UPLOAD_RULE, BACKENDS).config().revision())
                    .isEqualTo(standalone(BACKENDS, UPLOAD_RULE, ORDER_RULE).config().revision());
        }

        @Test
        void changesWhenARuleChanges() {
            String before = standalone(BACKENDS, UPLOAD_RULE, ORDER_RULE).config().revision();

            assertThat(standalone(BACKENDS, UPLOAD_RULE, ORDER_RULE.replace("queue: orders", "queue: orders-v2"))
                    .config().revision()).isNotEqualTo(before);
            assertThat(standalone(BACKENDS, UPLOAD_RULE.replace("generation: 3", "generation: 4"), ORDER_RULE)
                    .config().revision()).as("a new generation of a rule").isNotEqualTo(before);
        }

        @Test
        void isAHashOfTheConfigWithoutItsOwnRevision() {
            RenderResult result = standalone(BACKENDS, UPLOAD_RULE);
            assertThat(ConfigJson.revisionOf(result.config(), result.credentials())).isEqualTo(result.config().revision());
        }
    }

    @Nested
    class InvalidRules {
        @Test
        void blobRefInAQueueMessageIsInvalidAndTheOtherRuleIsStillServed() {
            RenderResult result = standalone(BACKENDS, UPLOAD_RULE,
                    ORDER_RULE.replace("message: {orderId: $path.id, order: $body}", "message: {file: $blobRef}"));

            assertThat(result.problems()).singleElement().satisfies(p -> {
                assertThat(p.resource()).isEqualTo(new ResourceId("RouteRule", "shop", "orders"));
                assertThat(p.reason()).isEqualTo(Problem.INVALID);
                assertThat(p.message()).contains("$blobRef").contains("send.queue.message.file");
            });
            assertThat(result.config().routes()).extracting(RouteConfig::id).containsExactly("shop/upload");
            RuleVerdict orders = verdict(result, "orders");
            assertThat(orders.served()).isFalse();
            assertThat(orders.accepted().ok()).isFalse();
            assertThat(orders.accepted().reason()).isEqualTo(Problem.INVALID);
            assertThat(orders.resolvedRefs().ok()).isTrue();
            assertThat(verdict(result, "upload").served()).isTrue();
        }

        @Test
        void aBadPathIsInvalid() {
            RenderResult result = standalone(BACKENDS, UPLOAD_RULE.replace("path: /files/**", "path: /files/**/raw"), ORDER_RULE);

            assertThat(result.problems()).singleElement().satisfies(p -> {
                assertThat(p.resource().name()).isEqualTo("upload");
                assertThat(p.reason()).isEqualTo(Problem.INVALID);
                assertThat(p.message()).isEqualTo("path '/files/**/raw': ** may only be the last segment");
            });
            assertThat(result.config().routes()).extracting(RouteConfig::id).containsExactly("shop/orders");
            assertThat(result.config().blobBackends()).as("no served rule uses a blob backend").isEmpty();
        }

        @Test
        void aPathVariableTheTemplateDoesNotHaveIsInvalid() {
            RenderResult result = standalone(BACKENDS, ORDER_RULE.replace("$path.id", "$path.orderId"));

            assertThat(result.problems()).singleElement().satisfies(p -> {
                assertThat(p.reason()).isEqualTo(Problem.INVALID);
                assertThat(p.message()).contains("$path.orderId is not a variable of the rule's path (it has [id])");
            });
            assertThat(result.config().routes()).isEmpty();
        }

        @Test
        void anUnknownBackendFailsResolvedRefsButNotAccepted() {
            RenderResult result = standalone(BACKENDS, UPLOAD_RULE, ORDER_RULE.replace("backendRef: {name: jobs}", "backendRef: {name: nope}"));

            assertThat(result.problems()).singleElement().satisfies(p -> {
                assertThat(p.resource().name()).isEqualTo("orders");
                assertThat(p.reason()).isEqualTo(Problem.BACKEND_NOT_FOUND);
                assertThat(p.message()).isEqualTo("QueueBackend shop/nope not found");
            });
            RuleVerdict orders = verdict(result, "orders");
            assertThat(orders.accepted()).isEqualTo(RuleVerdict.Check.OK);
            assertThat(orders.resolvedRefs().ok()).isFalse();
            assertThat(orders.resolvedRefs().reason()).isEqualTo(Problem.BACKEND_NOT_FOUND);
            assertThat(result.config().routes()).extracting(RouteConfig::id).containsExactly("shop/upload");
        }

        @Test
        void backendsAreLookedUpInTheRulesNamespaceOnly() {
            RenderResult result = standalone(BACKENDS, ORDER_RULE.replace("namespace: shop", "namespace: lab"));

            assertThat(result.problems()).singleElement().satisfies(p -> {
                assertThat(p.reason()).isEqualTo(Problem.BACKEND_NOT_FOUND);
                assertThat(p.message()).isEqualTo("QueueBackend lab/jobs not found");
            });
        }
    }

    @Nested
    class Conflicts {
        private static final String OLD = """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: zz-old, namespace: shop, creationTimestamp: "2025-01-01T00:00:00Z"}
                spec:
                  when: {http: {method: POST, path: "/orders/{id}"}}
                  send: {queue: {backendRef: {name: jobs}, queue: orders}}
                """;
        // Named to sort first, so only its age can make it lose.
        private static final String NEW = """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: aa-new, namespace: shop, creationTimestamp: "2025-06-01T00:00:00Z"}
                spec:
                  when: {http: {method: POST, path: "/orders/{orderId}"}}
                  send: {queue: {backendRef: {name: audit}, queue: orders-audit}}
                """;

        @Test
        void theNewerOfTwoRulesMatchingTheSameRequestsIsConflicted() {
            RenderResult result = standalone(BACKENDS, NEW, OLD);

            assertThat(result.config().routes()).extracting(RouteConfig::id).containsExactly("shop/zz-old");
            assertThat(result.problems()).singleElement().satisfies(p -> {
                assertThat(p.resource().name()).isEqualTo("aa-new");
                assertThat(p.reason()).isEqualTo(Problem.CONFLICTED);
                assertThat(p.message()).contains("shop/zz-old");
            });
            RuleVerdict loser = verdict(result, "aa-new");
            assertThat(loser.accepted().ok()).isFalse();
            assertThat(loser.accepted().reason()).isEqualTo(Problem.CONFLICTED);
            assertThat(loser.resolvedRefs().ok()).isTrue();
            assertThat(result.config().queueBackends()).extracting(QueueBackendConfig::name)
                    .as("the loser's backend is not served").containsExactly("jobs");
        }

        @Test
        void rulesThatDifferInMethodDoNotConflict() {
            RenderResult result = standalone(BACKENDS, NEW.replace("method: POST", "method: PUT"), OLD);

            assertThat(result.problems()).isEmpty();
            assertThat(result.config().routes()).hasSize(2);
        }
    }

    @Nested
    class Standalone {
        private static final String LAB = """
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: lab-jobs, namespace: lab}
                spec: {type: spool, spool: {path: /data/lab}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: events, namespace: lab}
                spec:
                  when: {http: {path: /events}}
                  send: {queue: {backendRef: {name: lab-jobs}, queue: events}}
                """;

        @Test
        void withoutAnEdgeGatewayTheImplicitGatewayServesRulesOfEveryNamespace() {
            RenderResult result = standalone(BACKENDS, ORDER_RULE, LAB);

            assertThat(result.problems()).isEmpty();
            assertThat(result.config().gateway()).isEqualTo(GatewayRenderer.IMPLICIT_GATEWAY);
            assertThat(result.config().routes()).extracting(RouteConfig::id).containsExactly("lab/events", "shop/orders");
            assertThat(result.config().queueBackends()).extracting(QueueBackendConfig::name).containsExactly("jobs", "lab-jobs");
            assertThat(result.config().edge().auth()).isNull();
        }

        @Test
        void aRuleNamingAGatewayTheFolderLacksIsGatewayNotFound() {
            String pinned = ORDER_RULE.replace("spec:\n", "spec:\n  gatewayRefs: [{name: missing}]\n");
            RenderResult result = standalone(BACKENDS, UPLOAD_RULE, pinned);

            assertThat(result.problems()).singleElement().satisfies(p -> {
                assertThat(p.resource()).isEqualTo(new ResourceId("RouteRule", "shop", "orders"));
                assertThat(p.reason()).isEqualTo(Problem.GATEWAY_NOT_FOUND);
                assertThat(p.message()).contains("implicit gateway");
            });
            assertThat(result.config().routes()).extracting(RouteConfig::id).containsExactly("shop/upload");
            assertThat(result.rules()).extracting(v -> v.rule().name()).as("only attached rules get a verdict")
                    .containsExactly("upload");
        }

        @Test
        void theFoldersEdgeGatewayServesItsNamespaceAndReportsTheRest() {
            String gateway = """
                    apiVersion: conduit.io/v1alpha1
                    kind: EdgeGateway
                    metadata: {name: edge, namespace: shop}
                    spec: {limits: {maxBodySize: 50Mi, requestTimeout: 1m30s}}
                    """;
            RenderResult result = standalone(BACKENDS, ORDER_RULE, LAB, gateway);

            assertThat(result.config().gateway()).isEqualTo("shop/edge");
            assertThat(result.config().routes()).extracting(RouteConfig::id).containsExactly("shop/orders");
            assertThat(result.config().edge().limits().maxBodySize()).isEqualTo(50L << 20);
            assertThat(result.config().edge().limits().requestTimeoutMillis()).isEqualTo(90_000);
            assertThat(result.problems()).singleElement().satisfies(p -> {
                assertThat(p.resource()).isEqualTo(new ResourceId("RouteRule", "lab", "events"));
                assertThat(p.reason()).isEqualTo(Problem.GATEWAY_NOT_FOUND);
            });
        }

        @Test
        void severalEdgeGatewaysNeedAChoice() {
            String two = """
                    apiVersion: conduit.io/v1alpha1
                    kind: EdgeGateway
                    metadata: {name: a, namespace: shop}
                    ---
                    apiVersion: conduit.io/v1alpha1
                    kind: EdgeGateway
                    metadata: {name: b, namespace: shop}
                    """;
            assertThatIllegalArgumentException().isThrownBy(() -> standalone(BACKENDS, two))
                    .withMessageContaining("2 EdgeGateways (a, b)");
            assertThat(renderer.renderStandalone(Resources.parse(BACKENDS, two), "b").config().gateway()).isEqualTo("shop/b");
        }
    }

    @Nested
    class Cluster {
        private static final String GATEWAYS = """
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge, namespace: shop}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: other, namespace: shop}
                """;

        @Test
        void aRuleWithoutGatewayRefsAttachesToEveryGatewayOfItsNamespace() {
            ResourceSet set = Resources.parse(BACKENDS, GATEWAYS, ORDER_RULE);

            assertThat(renderer.render(set, "shop", "edge").config().routes()).hasSize(1);
            assertThat(renderer.render(set, "shop", "other").config().routes()).hasSize(1);
        }

        @Test
        void gatewayRefsPickTheGateways() {
            String pinned = ORDER_RULE.replace("spec:\n", "spec:\n  gatewayRefs: [{name: other}]\n");
            ResourceSet set = Resources.parse(BACKENDS, GATEWAYS, pinned);

            RenderResult edge = renderer.render(set, "shop", "edge");
            assertThat(edge.config().routes()).isEmpty();
            assertThat(edge.rules()).isEmpty();
            assertThat(edge.problems()).as("in a cluster, another gateway serving the rule is no problem").isEmpty();
            assertThat(renderer.render(set, "shop", "other").config().routes()).hasSize(1);
        }

        @Test
        void anUnknownGatewayIsAnError() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> renderer.render(Resources.parse(BACKENDS, GATEWAYS), "shop", "nope"))
                    .withMessage("EdgeGateway shop/nope not found");
        }
    }

    @Nested
    class Credentials {
        private static final String S3_AND_REDIS = """
                apiVersion: conduit.io/v1alpha1
                kind: BlobBackend
                metadata: {name: store, namespace: shop}
                spec:
                  type: s3
                  s3: {bucket: uploads, region: eu-west-1, credentialsSecretRef: {name: s3-creds}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: BlobBackend
                metadata: {name: unused-store, namespace: shop}
                spec:
                  type: s3
                  s3: {bucket: other, credentialsSecretRef: {name: other-creds}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: redis, namespace: shop}
                spec:
                  type: redis
                  redis: {url: "redis://redis:6379", credentialsSecretRef: {name: redis-creds}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: upload, namespace: shop}
                spec:
                  when: {http: {method: PUT, path: "/files/{name}"}}
                  send: {blob: {backendRef: {name: store}, key: "{yyyy}/{$path.name}"}}
                  onComplete: {enqueue: {backendRef: {name: redis}, to: uploads, envelope: {blobRef: $blobRef}}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge, namespace: shop}
                spec: {auth: {tokensSecretRef: {name: edge-tokens}, exemptPaths: [/healthz]}}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: s3-creds, namespace: shop}
                stringData: {accessKeyId: AKIA-TEST-ID, secretAccessKey: s3-SECRET-stringdata}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: other-creds, namespace: shop}
                stringData: {accessKeyId: AKIA-OTHER, secretAccessKey: other-SECRET}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: edge-tokens, namespace: shop}
                stringData: {acme: tok-acme-123}
                """;
        private static final String REDIS_SECRET = """
                apiVersion: v1
                kind: Secret
                metadata: {name: redis-creds, namespace: shop}
                data: {password: cjNkaXMtcGE1NQ==}
                """;

        @Test
        void secretValuesGoToTheCredentialsAndNeverIntoTheConfig() {
            RenderResult result = standalone(S3_AND_REDIS, REDIS_SECRET);

            assertThat(result.problems()).isEmpty();
            assertThat(result.credentials().get("blob.store"))
                    .containsEntry("accessKeyId", "AKIA-TEST-ID")
                    .containsEntry("secretAccessKey", "s3-SECRET-stringdata");
            assertThat(result.credentials().get("queue.redis")).as("base64 data is decoded")
                    .containsEntry("password", "r3dis-pa55");
            assertThat(result.credentials().get("auth.tokens")).containsExactly(Map.entry("acme", "tok-acme-123"));
            assertThat(result.credentials().entries()).as("only served backends bring credentials")
                    .containsOnlyKeys("blob.store", "queue.redis", "auth.tokens");

            GatewayConfig config = result.config();
            assertThat(config.blobBackend("store").orElseThrow().s3().credentialsKey()).isEqualTo("blob.store");
            assertThat(config.queueBackend("redis").orElseThrow().redis().credentialsKey()).isEqualTo("queue.redis");
            assertThat(config.edge().auth().credentialsKey()).isEqualTo("auth.tokens");
            assertThat(ConfigJson.write(config))
                    .contains("blob.store", "queue.redis", "auth.tokens")
                    .doesNotContain("AKIA-TEST-ID", "s3-SECRET-stringdata", "r3dis-pa55", "cjNkaXMtcGE1NQ", "tok-acme-123",
                            "other-SECRET");
            assertThat(result.credentials().toString()).doesNotContain("r3dis-pa55", "tok-acme-123");
        }

        @Test
        void rotatingASecretChangesTheRevisionButNotTheConfig() {
            RenderResult before = standalone(S3_AND_REDIS, REDIS_SECRET);
            RenderResult after = standalone(S3_AND_REDIS, REDIS_SECRET.replace("cjNkaXMtcGE1NQ==", "cm90YXRlZC1wYTU1"));

            assertThat(after.credentials().get("queue.redis")).containsEntry("password", "rotated-pa55");
            assertThat(ConfigJson.write(after.config().withRevision(null)))
                    .isEqualTo(ConfigJson.write(before.config().withRevision(null)));
            assertThat(after.config().revision()).isNotEqualTo(before.config().revision());
        }

        @Test
        void stringDataWinsOverDataForTheSameKey() {
            String both = REDIS_SECRET + "stringData: {password: from-stringdata}\n";
            assertThat(standalone(S3_AND_REDIS, both).credentials().get("queue.redis"))
                    .containsEntry("password", "from-stringdata");
        }

        @Test
        void aMissingSecretIsSecretNotFoundAndItsRulesAreNotServed() {
            RenderResult result = standalone(S3_AND_REDIS.replace("credentialsSecretRef: {name: s3-creds}",
                    "credentialsSecretRef: {name: s3-creds-gone}"), REDIS_SECRET);

            assertThat(result.problems()).extracting(Problem::resource, Problem::reason).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(new ResourceId("BlobBackend", "shop", "store"), Problem.SECRET_NOT_FOUND),
                    org.assertj.core.groups.Tuple.tuple(new ResourceId("RouteRule", "shop", "upload"), Problem.BACKEND_NOT_READY));
            assertThat(result.problems().get(0).message()).isEqualTo("Secret shop/s3-creds-gone not found");
            assertThat(result.config().routes()).isEmpty();
            assertThat(result.config().blobBackends()).isEmpty();
            assertThat(result.credentials().entries()).doesNotContainKey("blob.store");
            RuleVerdict upload = verdict(result, "upload");
            assertThat(upload.accepted().ok()).isTrue();
            assertThat(upload.resolvedRefs().reason()).isEqualTo(Problem.BACKEND_NOT_READY);
        }

        @Test
        void aSecretWithoutTheRequiredKeyIsSecretNotFound() {
            RenderResult result = standalone(S3_AND_REDIS, REDIS_SECRET.replace("password:", "passwd:"));

            assertThat(result.problems()).filteredOn(p -> p.resource().kind().equals("QueueBackend")).singleElement()
                    .satisfies(p -> {
                        assertThat(p.reason()).isEqualTo(Problem.SECRET_NOT_FOUND);
                        assertThat(p.message()).isEqualTo("Secret shop/redis-creds has no key password");
                    });
        }
    }

    @Nested
    class DefaultQueueBackend {
        private static final String ONE_QUEUE = """
                apiVersion: conduit.io/v1alpha1
                kind: BlobBackend
                metadata: {name: files, namespace: shop}
                spec: {type: local, local: {path: /data/blobs}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: only, namespace: shop}
                spec: {type: spool, spool: {path: /data/spool}}
                """;
        private static final String NO_REFS = """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: events, namespace: shop}
                spec:
                  when: {http: {path: /events}}
                  send: {queue: {queue: events}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: upload, namespace: shop}
                spec:
                  when: {http: {path: /files/**}}
                  send: {blob: {backendRef: {name: files}}}
                  onComplete: {enqueue: {to: uploads, envelope: $blobRef}}
                """;

        @Test
        void theOnlyQueueBackendOfTheNamespaceIsTheDefault() {
            RenderResult result = standalone(ONE_QUEUE, NO_REFS);

            assertThat(result.problems()).isEmpty();
            assertThat(route(result, "shop/events").queue().backend()).isEqualTo("only");
            assertThat(route(result, "shop/upload").onComplete().backend()).isEqualTo("only");
            assertThat(result.config().queueBackends()).extracting(QueueBackendConfig::name).containsExactly("only");
        }

        @Test
        void aQueueBackendInAnotherNamespaceDoesNotMakeItAmbiguous() {
            String elsewhere = """
                    apiVersion: conduit.io/v1alpha1
                    kind: QueueBackend
                    metadata: {name: lab-only, namespace: lab}
                    spec: {type: spool, spool: {path: /data/lab}}
                    """;
            assertThat(route(standalone(ONE_QUEUE, NO_REFS, elsewhere), "shop/events").queue().backend()).isEqualTo("only");
        }

        @Test
        void withSeveralQueueBackendsThereIsNoDefault() {
            RenderResult result = standalone(BACKENDS, NO_REFS);

            assertThat(result.problems()).extracting(Problem::reason).containsOnly(Problem.BACKEND_NOT_FOUND).hasSize(2);
            assertThat(result.problems()).extracting(Problem::message)
                    .allMatch(m -> m.contains("no default queue backend"));
            assertThat(result.config().routes()).isEmpty();
        }

        @Test
        void theGatewaysDefaultQueueBackendRefWins() {
            String gateway = """
                    apiVersion: conduit.io/v1alpha1
                    kind: EdgeGateway
                    metadata: {name: edge, namespace: shop}
                    spec: {defaultQueueBackendRef: {name: audit}}
                    """;
            RenderResult result = renderer.render(Resources.parse(BACKENDS, NO_REFS, gateway), "shop", "edge");

            assertThat(result.problems()).isEmpty();
            assertThat(route(result, "shop/events").queue().backend()).isEqualTo("audit");
            assertThat(route(result, "shop/upload").onComplete().backend()).isEqualTo("audit");
        }
    }

    @Nested
    class Hardening {
        @Test
        void anInvalidRuleIsInvalidEvenWhenItsBackendIsAlsoMissing() {
            RenderResult result = standalone(BACKENDS, """
                    apiVersion: conduit.io/v1alpha1
                    kind: RouteRule
                    metadata: {name: bad, namespace: shop}
                    spec:
                      when: {http: {method: POST, path: /bad}}
                      send: {queue: {backendRef: {name: nope}, queue: q, message: $blobRef}}
                    """);
            RuleVerdict v = verdict(result, "bad");
            assertThat(v.accepted().ok()).isFalse();
            assertThat(v.accepted().reason()).isEqualTo(Problem.INVALID);
            assertThat(v.accepted().message()).contains("$blobRef");
        }

        @Test
        void aLowerCaseMethodIsInvalidAsInTheCrd() {
            RenderResult result = standalone(BACKENDS, ORDER_RULE.replace("method: POST", "method: post"));
            assertThat(verdict(result, "orders").accepted().message()).contains("capitals");
        }

        @Test
        void aHugeSizeIsAProblemNotACrash() {
            RenderResult result = standalone(BACKENDS, UPLOAD_RULE.replace("maxSize: 10Mi", "maxSize: 99999999Ti"));
            assertThat(verdict(result, "upload").accepted().message()).contains("too large");
        }

        @Test
        void aGatewayWhosePoliciesCannotRenderServesNoRule() {
            RenderResult result = standalone(BACKENDS, ORDER_RULE, """
                    apiVersion: conduit.io/v1alpha1
                    kind: EdgeGateway
                    metadata: {name: edge, namespace: shop}
                    spec:
                      auth: {tokensSecretRef: {name: gone}}
                    """);
            assertThat(result.problems()).anySatisfy(p -> {
                assertThat(p.resource().kind()).isEqualTo("EdgeGateway");
                assertThat(p.message()).contains("gone");
            });
            assertThat(result.config().routes()).as("no rule served without its auth").isEmpty();
            assertThat(result.config().edge().auth()).isNull();
        }

        @Test
        void incompleteRateLimitsAndAuthAreProblemsNotCrashes() {
            RenderResult noRate = standalone(BACKENDS, ORDER_RULE, """
                    apiVersion: conduit.io/v1alpha1
                    kind: EdgeGateway
                    metadata: {name: edge, namespace: shop}
                    spec:
                      rateLimits: [{name: x, key: ip}]
                    """);
            assertThat(noRate.problems()).anySatisfy(p -> assertThat(p.message()).contains("requestsPerSecond"));
            RenderResult zero = standalone(BACKENDS, ORDER_RULE, """
                    apiVersion: conduit.io/v1alpha1
                    kind: EdgeGateway
                    metadata: {name: edge, namespace: shop}
                    spec:
                      rateLimits: [{name: x, key: ip, requestsPerSecond: 0}]
                    """);
            assertThat(zero.problems()).anySatisfy(p -> assertThat(p.message()).contains("at least 1"));
            RenderResult noSecretRef = standalone(BACKENDS, ORDER_RULE, """
                    apiVersion: conduit.io/v1alpha1
                    kind: EdgeGateway
                    metadata: {name: edge, namespace: shop}
                    spec:
                      auth: {exemptPaths: [/healthz]}
                    """);
            assertThat(noSecretRef.problems()).anySatisfy(p -> assertThat(p.message()).contains("tokensSecretRef"));
        }
    }

    @Nested
    class KafkaBackends {
        private static String kafka(String settings) {
            return """
                    apiVersion: conduit.io/v1alpha1
                    kind: QueueBackend
                    metadata: {name: events, namespace: shop}
                    spec:
                      type: kafka
                      kafka: %s
                    ---
                    apiVersion: conduit.io/v1alpha1
                    kind: RouteRule
                    metadata: {name: events, namespace: shop}
                    spec:
                      when: {http: {method: POST, path: /events}}
                      send: {queue: {backendRef: {name: events}, queue: events}}
                    ---
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: kafka-user, namespace: shop}
                    stringData: {username: gw, password: k-SECRET}
                    ---
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: kafka-ca, namespace: shop}
                    stringData: {ca.crt: "-----BEGIN CERTIFICATE-----"}
                    ---
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: idem-redis, namespace: shop}
                    stringData: {password: r-SECRET}
                    """.formatted(settings);
        }

        @Test
        void saslNeedsAUserButTlsAloneTakesASecretWithJustTheCa() {
            RenderResult noUser = standalone(kafka("{bootstrapServers: \"k:9092\", security: {protocol: SASL_SSL}}"));
            assertThat(noUser.problems()).anySatisfy(p -> assertThat(p.message()).contains("credentialsSecretRef"));

            RenderResult caOnly = standalone(kafka(
                    "{bootstrapServers: \"k:9092\", security: {protocol: SSL}, credentialsSecretRef: {name: kafka-ca}}"));
            assertThat(caOnly.problems()).isEmpty();
            assertThat(caOnly.credentials().get("queue.events")).containsKey("ca.crt");
        }

        @Test
        void anIdempotencyRedisGetsItsOwnCredentialsKey() {
            RenderResult result = standalone(kafka("{bootstrapServers: \"k:9092\", security: {protocol: SASL_PLAINTEXT,"
                    + " saslMechanism: SCRAM-SHA-256}, credentialsSecretRef: {name: kafka-user},"
                    + " idempotencyRedis: {url: \"redis://r:6379\", credentialsSecretRef: {name: idem-redis}}}"));

            assertThat(result.problems()).isEmpty();
            QueueBackendConfig.Kafka k = result.config().queueBackend("events").orElseThrow().kafka();
            assertThat(k.idempotencyRedis().url()).isEqualTo("redis://r:6379");
            assertThat(k.idempotencyRedis().prefix()).isEqualTo("conduit");
            assertThat(k.idempotencyRedis().credentialsKey()).isEqualTo("queue.events.idempotency");
            assertThat(result.credentials().get("queue.events.idempotency")).containsEntry("password", "r-SECRET");
            assertThat(result.credentials().get("queue.events")).containsEntry("username", "gw");
            assertThat(ConfigJson.write(result.config())).doesNotContain("r-SECRET", "k-SECRET");
        }
    }
}
