package io.conduit.install;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** helm/conduit rendered through Helm's own library (helm-java), as {@code helm template} would. */
final class Chart {
    static final String RELEASE = "conduit";
    static final String NAMESPACE = "conduit-system";
    /** Helm's library assumes Kubernetes 1.20 when it has no cluster; the chart needs 1.25 or newer. */
    static final String KUBE_VERSION = "1.31.0";
    private static final Pattern SOURCE = Pattern.compile("(?m)^# Source: conduit/(\\S+)$");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Chart() {
    }

    /** The rendered documents, keyed by the chart file they come from (templates/x.yaml, crds/y.yml). */
    record Rendering(String text, Map<String, List<String>> documentsBySource) {
        List<HasMetadata> objects() {
            List<HasMetadata> objects = new ArrayList<>();
            documentsBySource.values().forEach(docs -> docs.forEach(doc -> objects.add(Serialization.unmarshal(doc))));
            return objects;
        }

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects().stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type) {
            List<T> found = all(type);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + type.getSimpleName() + ", rendered " + found.size());
            }
            return found.get(0);
        }

        Optional<HasMetadata> kind(String kind) {
            return objects().stream().filter(o -> o.getKind().equals(kind)).findFirst();
        }
    }

    static Rendering render() {
        return render(Map.of());
    }

    /** {@code helm template conduit helm/conduit -n conduit-system -f <values>}. */
    static Rendering render(Map<String, ?> values) {
        Path valuesFile = valuesFile(values);
        try {
            String text = new Helm(Repository.CHART).template()
                    .withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION).withValuesFile(valuesFile).call();
            return new Rendering(text, split(text));
        } finally {
            try {
                Files.deleteIfExists(valuesFile);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    /** The error Helm reports for these values, or an AssertionError when it renders them. */
    static String renderError(Map<String, ?> values) {
        try {
            render(values);
        } catch (RuntimeException e) {
            return String.valueOf(e.getMessage());
        }
        throw new AssertionError("Helm rendered values it should refuse: " + values);
    }

    private static Map<String, List<String>> split(String text) {
        Map<String, List<String>> bySource = new LinkedHashMap<>();
        for (String doc : text.split("(?m)^---\\s*$")) {
            Matcher source = SOURCE.matcher(doc);
            if (!source.find()) {
                continue;
            }
            String body = doc.substring(source.end()).replaceFirst("^\\n", "");
            if (!body.replaceAll("(?m)^\\s*#.*$", "").isBlank()) {
                bySource.computeIfAbsent(source.group(1), k -> new ArrayList<>()).add(body);
            }
        }
        return bySource;
    }

    private static Path valuesFile(Map<String, ?> values) {
        try {
            Path file = Files.createTempFile("conduit-values", ".yaml");
            YAML.writeValue(file.toFile(), values);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
