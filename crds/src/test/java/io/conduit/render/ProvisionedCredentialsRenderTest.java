package io.conduit.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A Redis backend with provisioned ACL users: the gateway gets its own user's credentials, never the admin's. */
class ProvisionedCredentialsRenderTest {
    static final String RESOURCES = """
            apiVersion: v1
            kind: Secret
            metadata: {name: redis-admin, namespace: shop}
            stringData: {username: admin, password: ADMIN-PW}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: QueueBackend
            metadata: {name: jobs, namespace: shop}
            spec:
              type: redis
              redis: {url: "redis://redis:6379", credentialsSecretRef: {name: redis-admin}, provision: {aclUsers: true}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: orders, namespace: shop}
            spec:
              when: {http: {method: POST, path: /orders}}
              send: {queue: {backendRef: {name: jobs}, queue: orders}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: EdgeGateway
            metadata: {name: edge, namespace: shop}
            spec: {replicas: 1}
            """;
    static final String PROVISIONED = """
            apiVersion: v1
            kind: Secret
            metadata: {name: jobs.shop.edge.redis-acl, namespace: shop}
            stringData: {username: "conduit:shop/jobs:gateway:shop/edge", password: OWN-PW}
            """;

    @Test
    void theGatewayLogsInAsItsProvisionedUser() {
        RenderResult result = new GatewayRenderer().render(Resources.parse(RESOURCES, PROVISIONED), "shop", "edge");

        assertThat(result.problems()).isEmpty();
        assertThat(result.credentials().get("queue.jobs"))
                .containsEntry("username", "conduit:shop/jobs:gateway:shop/edge").containsEntry("password", "OWN-PW");
        assertThat(result.credentials().entries().toString()).doesNotContain("ADMIN-PW");
    }

    @Test
    void untilTheUserIsProvisionedTheBackendIsRefusedNotServedWithTheAdminCredentials() {
        RenderResult result = new GatewayRenderer().render(Resources.parse(RESOURCES), "shop", "edge");

        assertThat(result.problems()).anyMatch(p -> p.message().contains("not provisioned yet")
                && p.message().contains("CredentialsReady"));
        assertThat(result.config().routes()).isEmpty();
        assertThat(result.credentials().entries().toString()).doesNotContain("ADMIN-PW");
    }
}
