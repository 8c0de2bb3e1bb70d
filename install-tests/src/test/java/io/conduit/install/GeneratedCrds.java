package io.conduit.install;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The CRD files the crds module generates from the API types (META-INF/fabric8 on its classpath). */
final class GeneratedCrds {
    static final List<Class<? extends HasMetadata>> KINDS = List.of(BlobBackend.class, QueueBackend.class, RouteRule.class,
            EdgeGateway.class);

    private GeneratedCrds() {
    }

    /** File name (as the generator names it) to content. */
    static Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        for (Class<? extends HasMetadata> kind : KINDS) {
            String name = HasMetadata.getFullResourceName(kind) + "-v1.yml";
            try (InputStream in = GeneratedCrds.class.getResourceAsStream("/META-INF/fabric8/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the crds module generated no " + name + " (run its process-classes)");
                }
                files.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }
}
