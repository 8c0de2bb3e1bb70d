package io.conduit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.RouteRule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

/** Schema errors read as sentences about the field a user wrote, never as the parser's internals. */
class SchemaErrorsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void theStringFormOfAReferenceSaysWhatToWrite() {
        assertThat(error(RouteRule.class, """
                spec:
                  when: {http: {path: /jobs}}
                  send: {queue: {backendRef: jobs, queue: q}}
                """)).isEqualTo("spec.send.queue.backendRef: expected an object such as {name: jobs}, not 'jobs'");
        assertThat(error(EdgeGateway.class, "spec: {defaultQueueBackendRef: events}"))
                .isEqualTo("spec.defaultQueueBackendRef: expected an object such as {name: events}, not 'events'");
        assertThat(error(BlobBackend.class, "spec: {type: local, local: {path: /d}, mirrorRefs: [archive]}"))
                .isEqualTo("spec.mirrorRefs[0]: expected an object such as {name: archive}, not 'archive'");
    }

    @Test
    void theStringFormOfRuleReferencesSaysWhatToWrite() {
        assertThat(error(EdgeGateway.class, """
                spec:
                  auth:
                    tokensSecretRef: {name: tokens}
                    tenants: [{name: acme, rules: [upload, shop/ping]}]
                """)).isEqualTo("spec.auth.tenants[0]: unknown field 'rules'; RouteRules are named by ruleRefs,"
                + " e.g. ruleRefs: [{name: upload}, {name: ping, namespace: shop}]");
        assertThat(error(EdgeGateway.class, "spec: {rateLimits: [{name: l, key: ip, requestsPerSecond: 1, rules: [upload]}]}"))
                .isEqualTo("spec.rateLimits[0]: unknown field 'rules'; RouteRules are named by ruleRefs, e.g. ruleRefs: [{name: upload}]");
        assertThat(error(EdgeGateway.class, "spec: {rateLimits: [{name: l, key: ip, requestsPerSecond: 1, ruleRefs: [shop/ping]}]}"))
                .isEqualTo("spec.rateLimits[0].ruleRefs[0]: expected an object such as {name: ping, namespace: shop}, not 'shop/ping'");
    }

    @Test
    void enumsListTheirValuesAsWritten() {
        assertThat(error(BlobBackend.class, "spec: {type: S3}"))
                .isEqualTo("spec.type: expected one of s3, local, not 'S3'");
    }

    @Test
    void objectsListsAndUnknownFieldsAreNamedByPath() {
        assertThat(error(RouteRule.class, "spec: {when: {http: {path: /a, headers: {x: y}}}}"))
                .isEqualTo("spec.when.http.headers: expected a list, not an object");
        assertThat(error(RouteRule.class, "spec: {when: {http: {methd: POST}}}"))
                .isEqualTo("spec.when.http: unknown field 'methd'");
        assertThat(error(EdgeGateway.class, "spec: {replicas: many}"))
                .isEqualTo("spec.replicas: expected a whole number, not 'many'");
    }

    private static String error(Class<? extends HasMetadata> type, String yaml) {
        JsonNode doc;
        try {
            doc = YAML.readTree(yaml);
            YAML.treeToValue(doc, type);
        } catch (JsonMappingException e) {
            String message = SchemaErrors.describe(e, doc(yaml));
            assertThat(message).doesNotContain("JsonToken", "java.lang", "Cannot deserialize", "io.conduit");
            return message;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return fail("read without an error: " + yaml);
    }

    private static JsonNode doc(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
