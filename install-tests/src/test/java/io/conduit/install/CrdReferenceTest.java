package io.conduit.install;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** docs/crd-reference.md is what the generated CRDs say; with -Dconduit.refresh it is rewritten. */
class CrdReferenceTest {

    @Test
    void theCommittedReferenceIsGeneratedFromTheCurrentCrds() {
        Repository.checkOrRefresh(Repository.DOCS.resolve("crd-reference.md"), CrdReference.markdown());
    }

    @Test
    void theReferenceDocumentsEveryKindItsFieldsAndItsValidationRules() {
        String reference = CrdReference.markdown();

        assertThat(reference).contains("## BlobBackend", "## QueueBackend", "## RouteRule", "## EdgeGateway")
                .contains("| `spec.replicas` |", "`spec.s3.bucket`", "`status.conditions[].reason`")
                .contains("exactly one of send.blob and send.queue must be set")
                .contains("so `kubectl scale` and a HorizontalPodAutoscaler work");
    }
}
