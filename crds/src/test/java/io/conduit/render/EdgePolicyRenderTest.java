package io.conduit.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.config.ConfigJson;
import io.conduit.config.EdgeConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Edge policies as the gateway receives them: tenants, public rules, trusted proxies. */
class EdgePolicyRenderTest {
    private static final String BASE = """
            apiVersion: conduit.io/v1alpha1
            kind: QueueBackend
            metadata: {name: q, namespace: shop}
            spec: {type: spool, spool: {path: /tmp/q}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: orders, namespace: shop}
            spec:
              when: {http: {method: POST, path: /orders}}
              send: {queue: {queue: orders}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: ping, namespace: shop}
            spec:
              auth: None
              when: {http: {method: POST, path: /ping}}
              send: {queue: {queue: pings}}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: tokens, namespace: shop}
            stringData: {acme: tok-acme, globex: tok-globex}
            """;

    private static RenderResult render(String gatewaySpec) {
        String gateway = """
                ---
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge, namespace: shop}
                spec:
                """ + gatewaySpec.indent(2);
        return new GatewayRenderer().renderStandalone(Resources.parse(BASE + gateway), null);
    }

    @Test
    void tenantsCarryTheirRulesAsRouteIdsAndTheirQuotas() {
        RenderResult result = render("""
                auth:
                  tokensSecretRef: {name: tokens}
                  tenants:
                    - {name: acme, ruleRefs: [{name: orders}, {name: thing, namespace: other}], requestsPerSecond: 5, bytesPerDay: 1Mi, maxConcurrentUploads: 2}
                trustedProxies: [10.0.0.0/8, 192.168.1.1]
                """);

        assertThat(result.problems()).isEmpty();
        EdgeConfig edge = result.config().edge();
        assertThat(edge.auth().tenants()).containsExactly(
                new EdgeConfig.Tenant("acme", List.of("shop/orders", "other/thing"), 5, 5, 1L << 20, 2));
        assertThat(edge.trustedProxies()).containsExactly("10.0.0.0/8", "192.168.1.1");
        assertThat(ConfigJson.write(result.config())).doesNotContain("tok-acme", "tok-globex");
    }

    @Test
    void aRuleReferenceWithoutANameOrWithASlashIsAProblemAndNothingIsServed() {
        RenderResult slash = render("""
                auth: {tokensSecretRef: {name: tokens}, tenants: [{name: acme, ruleRefs: [{name: other/thing}]}]}
                """);
        assertThat(slash.problems()).singleElement().matches(p -> p.message().contains(
                "auth.tenants.acme.ruleRefs: 'other/thing' is not a RouteRule name; another namespace's rule is {name: ..., namespace: ...}"));
        assertThat(slash.config().routes()).isEmpty();

        RenderResult nameless = render("rateLimits: [{name: l, key: ip, requestsPerSecond: 1, ruleRefs: [{namespace: shop}]}]\n");
        assertThat(nameless.problems()).singleElement()
                .matches(p -> p.message().contains("rateLimits.l.ruleRefs: name is required, e.g. {name: upload}"));
        assertThat(nameless.config().routes()).isEmpty();
    }

    @Test
    void aRuleWithAuthNoneIsPublicAndOthersAreNot() {
        RenderResult result = render("auth: {tokensSecretRef: {name: tokens}}\n");

        assertThat(result.config().routes()).filteredOn(r -> r.id().equals("shop/ping"))
                .singleElement().matches(r -> r.isPublic());
        assertThat(result.config().routes()).filteredOn(r -> r.id().equals("shop/orders"))
                .singleElement().matches(r -> !r.isPublic());
    }

    @Test
    void aTenantWithoutATokenIsAProblemAndNothingIsServed() {
        RenderResult result = render("auth: {tokensSecretRef: {name: tokens}, tenants: [{name: initech}]}\n");

        assertThat(result.problems()).singleElement()
                .matches(p -> p.message().contains("initech") && p.message().contains("no key"));
        assertThat(result.config().routes()).isEmpty();
    }

    @Test
    void aTenantsRuleOnTheSameMatchIsAnOverlayNotAConflict() {
        String overlay = """
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: orders-acme, namespace: shop}
                spec:
                  tenant: acme
                  when: {http: {method: POST, path: /orders}}
                  send: {queue: {queue: acme-orders}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: public-acme, namespace: shop}
                spec:
                  tenant: acme
                  auth: None
                  when: {http: {method: POST, path: /ping}}
                  send: {queue: {queue: pings}}
                """;
        RenderResult result = new GatewayRenderer().renderStandalone(Resources.parse(BASE + overlay + """
                ---
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge, namespace: shop}
                spec: {auth: {tokensSecretRef: {name: tokens}}}
                """), null);

        assertThat(result.config().routes()).extracting(r -> r.id() + ":" + r.tenant())
                .containsExactlyInAnyOrder("shop/orders:null", "shop/orders-acme:acme", "shop/ping:null");
        assertThat(result.problems()).singleElement()
                .matches(p -> p.resource().name().equals("public-acme") && p.message().contains("cannot be public"));
    }

    @Test
    void aTrustedProxyThatIsNotAnAddressIsAProblem() {
        RenderResult result = render("trustedProxies: [proxy.example.com]\n");

        assertThat(result.problems()).singleElement().matches(p -> p.message().contains("proxy.example.com"));
    }
}
