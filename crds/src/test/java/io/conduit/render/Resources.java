package io.conduit.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Test fixtures: a {@link ResourceSet} from multi-document YAML, as a folder or {@code kubectl apply} would hold it. */
final class Resources {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private Resources() {
    }

    static ResourceSet parse(String... yamls) {
        List<BlobBackend> blobs = new ArrayList<>();
        List<QueueBackend> queues = new ArrayList<>();
        List<RouteRule> rules = new ArrayList<>();
        List<EdgeGateway> gateways = new ArrayList<>();
        List<Secret> secrets = new ArrayList<>();
        for (String yaml : yamls) {
            for (String doc : DOCUMENT_SEPARATOR.split(yaml)) {
                if (doc.isBlank()) {
                    continue;
                }
                switch (kind(doc)) {
                    case "BlobBackend" -> blobs.add(Serialization.unmarshal(doc, BlobBackend.class));
                    case "QueueBackend" -> queues.add(Serialization.unmarshal(doc, QueueBackend.class));
                    case "RouteRule" -> rules.add(Serialization.unmarshal(doc, RouteRule.class));
                    case "EdgeGateway" -> gateways.add(Serialization.unmarshal(doc, EdgeGateway.class));
                    case "Secret" -> secrets.add(Serialization.unmarshal(doc, Secret.class));
                    default -> throw new IllegalArgumentException("fixture has an unexpected kind:\n" + doc);
                }
            }
        }
        return new ResourceSet(blobs, queues, rules, gateways, secrets);
    }

    private static String kind(String doc) {
        try {
            JsonNode kind = YAML.readTree(doc).get("kind");
            if (kind == null) {
                throw new IllegalArgumentException("fixture document has no kind:\n" + doc);
            }
            return kind.asText();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("fixture is not YAML:\n" + doc, e);
        }
    }
}
