package io.conduit.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.conduit.config.ConfigJson;
import io.conduit.gateway.blob.BlobRef;
import io.conduit.gateway.queue.MessagePayload;
import io.conduit.gateway.queue.QueueRef;
import io.vertx.core.Future;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The reference step: what a rule without a respond body answers, from what the write produced. */
class ReferenceTest {
    @RegisterExtension
    static final StepHarness harness = new StepHarness();

    private static BlobRef blob(String id) {
        return new BlobRef(id, "local", "files", "abc", 3, "text/plain", null, null, "/data/" + id, null, "a.txt");
    }

    private static JsonNode answer(Reference ref) {
        return ConfigJson.MAPPER.valueToTree(ref.defaultBody());
    }

    @Test
    void oneBlobIsAnsweredAsItsBlobRef() throws Throwable {
        Reference ref = harness.run(data -> Future.succeededFuture(
                Reference.ofBlobs(data, List.of(blob("b-1")), JsonNodeFactory.instance.objectNode())));

        assertThat(answer(ref).get("blobRef").get("blobId").asText()).isEqualTo("b-1");
        assertThat(answer(ref).has("blobRefs")).isFalse();
    }

    @Test
    void severalBlobsAreAnsweredAsTheirBlobRefsInOrder() throws Throwable {
        Reference ref = harness.run(data -> Future.succeededFuture(
                Reference.ofBlobs(data, List.of(blob("b-1"), blob("b-2")), JsonNodeFactory.instance.objectNode())));

        assertThat(answer(ref).get("blobRefs")).extracting(n -> n.get("blobId").asText()).containsExactly("b-1", "b-2");
        assertThat(answer(ref).has("blobRef")).isFalse();
    }

    @Test
    void aQueuedMessageIsAnsweredAsItsQueueRef() throws Throwable {
        QueueRef queued = new QueueRef("redis", "jobs", "42", "orders", "waiting", "2026-01-01T00:00:00Z", null, null, null,
                null, false);

        Reference ref = harness.run(data -> Future.succeededFuture(
                Reference.ofQueue(data, MessagePayload.of(JsonNodeFactory.instance.objectNode()), queued)));

        assertThat(answer(ref).get("queueRef").get("jobId").asText()).isEqualTo("42");
        assertThat(answer(ref).get("queueRef").get("queue").asText()).isEqualTo("orders");
    }
}
