package io.conduit.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What docs/ tells a new user to type fits the chart: its values, its names, and files that exist. */
class InstallDocsTest {
    private static final List<String> DOCS = List.of("install.md", "operating.md", "troubleshooting.md");
    private static final Pattern SET = Pattern.compile("--set ([\\w.]+)=(\\S+)");
    private static final Pattern TABLE_VALUE = Pattern.compile("(?m)^\\| `([\\w.]+)`(?:, `([\\w.]+)`)?(?:, `([\\w.]+)`)? \\|");
    private static final Pattern REPO_PATH = Pattern.compile("(?<![\\w./-])((?:manifests|helm/conduit|examples|docs)(?:/[\\w.-]+)*/?)");

    static String doc(String name) {
        return Repository.read(Repository.DOCS.resolve(name));
    }

    static Set<String> leafValues(JsonNode node, String prefix, Set<String> out) {
        if (node.isObject() && node.size() > 0 && !prefix.endsWith("Context") && !prefix.equals("resources")
                && !prefix.equals("affinity")) {
            node.fields().forEachRemaining(f -> leafValues(f.getValue(), prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), out));
        } else {
            out.add(prefix);
        }
        return out;
    }

    @Test
    void everyValueOfTheChartIsInTheInstallValuesTableAndNothingElse() throws IOException {
        Set<String> values = leafValues(new ObjectMapper(new YAMLFactory()).readTree(Repository.CHART.resolve("values.yaml").toFile()),
                "", new TreeSet<>());
        Set<String> documented = new TreeSet<>();
        Matcher row = TABLE_VALUE.matcher(doc("install.md"));
        while (row.find()) {
            for (int g = 1; g <= row.groupCount(); g++) {
                if (row.group(g) != null) {
                    documented.add(row.group(g));
                }
            }
        }

        assertThat(documented).containsExactlyInAnyOrderElementsOf(values);
    }

    @Test
    void everySetFlagInTheDocsIsAValueTheChartAccepts() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : DOCS) {
            Matcher set = SET.matcher(doc(name));
            while (set.find()) {
                put(values, set.group(1), set.group(2));
            }
        }

        assertThat(values).isNotEmpty();
        assertThat(Chart.render(values).objects()).isNotEmpty();
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> values, String key, String value) {
        String[] parts = key.split("\\.");
        Map<String, Object> at = values;
        for (int i = 0; i < parts.length - 1; i++) {
            at = (Map<String, Object>) at.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
        }
        at.put(parts[parts.length - 1], value);
    }

    @Test
    void theNamesTheDocsUseAreTheOnesTheChartRenders() {
        Deployment operator = Chart.render().one(Deployment.class);
        String install = doc("install.md");

        assertThat(install).contains("-n " + operator.getMetadata().getNamespace() + " rollout status deployment/"
                + operator.getMetadata().getName());
        assertThat(install).contains("helm install " + Chart.RELEASE + " helm/conduit -n " + Chart.NAMESPACE + " --create-namespace");
        assertThat(doc("troubleshooting.md")).contains("logs deploy/" + operator.getMetadata().getName());
    }

    @Test
    void everyRepositoryPathTheDocsNameExists() {
        List<String> missing = new ArrayList<>();
        for (String name : DOCS) {
            Matcher path = REPO_PATH.matcher(doc(name));
            while (path.find()) {
                String file = path.group(1).replaceAll("[.]$", "");
                if (!Files.exists(Repository.ROOT.resolve(file))) {
                    missing.add(name + ": " + file);
                }
            }
        }

        assertThat(missing).isEmpty();
    }
}
