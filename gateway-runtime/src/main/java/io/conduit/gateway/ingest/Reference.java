package io.conduit.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.config.ConfigJson;
import io.conduit.gateway.blob.BlobRef;
import io.conduit.gateway.queue.MessagePayload;
import io.conduit.gateway.queue.QueueRef;
import io.conduit.template.Context;
import io.conduit.template.Name;
import io.conduit.template.Root;
import java.util.List;
import java.util.Map;

/**
 * What the later steps (follow-up, respond) see of the write: the templates' context with the blobRef(s)
 * or the queueRef, and the answer a rule without a respond body gets.
 */
record Reference(Context after, Object defaultBody) {

    /** Blobs published for one request, with the form fields that came with them (none: an empty object). */
    static Reference ofBlobs(RequestData data, List<BlobRef> stored, JsonNode fields) {
        ArrayNode refs = JsonNodeFactory.instance.arrayNode();
        stored.forEach(r -> refs.add(ConfigJson.MAPPER.valueToTree(r)));
        JsonNode first = refs.get(0);
        Context after = data.context(MessagePayload.of(fields), Map.of(Root.BLOB_REF, () -> first, Root.BLOB_REFS, () -> refs),
                Map.of(Name.BLOB_ID, stored.get(0).blobId()));
        ObjectNode defaultBody = JsonNodeFactory.instance.objectNode();
        if (stored.size() == 1) {
            defaultBody.set("blobRef", first);
        } else {
            defaultBody.set("blobRefs", refs);
        }
        return new Reference(after, defaultBody);
    }

    /** A message the queue holds, sent for {@code body}. */
    static Reference ofQueue(RequestData data, MessagePayload body, QueueRef ref) {
        Context after = data.context(body, Map.of(Root.QUEUE_REF, () -> ConfigJson.MAPPER.valueToTree(ref)), Map.of());
        return new Reference(after, new Respond.QueueAnswer(ref));
    }
}
