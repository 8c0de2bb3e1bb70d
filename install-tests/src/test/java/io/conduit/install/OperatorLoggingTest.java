package io.conduit.install;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The logging values work in the operator's JVM: the rendered logback.xml is loaded by the same Logback
 * the operator ships, and the Deployment points the JVM at it.
 */
class OperatorLoggingTest {

    /** Lines the rendered configuration writes to stdout for a few events. */
    static String[] logLines(Chart.Rendering rendering) throws Exception {
        String xml = rendering.one(ConfigMap.class).getData().get("logback.xml");
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            Logger operator = context.getLogger("io.conduit.operator.gateway.EdgeGatewayReconciler");
            operator.debug("pushing revision abc to 2 pods");
            operator.info("revision abc synced");
            context.getLogger("io.fabric8.kubernetes.client.informers").info("informer chatter");
        } finally {
            context.stop();
            System.setOut(stdout);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toArray(String[]::new);
    }

    @Test
    void theDeploymentLoadsTheRenderedConfiguration() {
        Chart.Rendering rendering = Chart.render();
        var container = HelmChartTest.container(rendering);
        String options = container.getEnv().stream().filter(e -> e.getName().equals("JDK_JAVA_OPTIONS"))
                .map(EnvVar::getValue).findFirst().orElseThrow();
        var mount = container.getVolumeMounts().stream().filter(m -> m.getName().equals("logging")).findFirst().orElseThrow();
        var volume = HelmChartTest.pod(rendering).getVolumes().stream().filter(v -> v.getName().equals("logging")).findFirst().orElseThrow();

        assertThat(options).isEqualTo("-Dlogback.configurationFile=" + mount.getMountPath() + "/logback.xml");
        assertThat(volume.getConfigMap().getName()).isEqualTo(rendering.one(ConfigMap.class).getMetadata().getName());
    }

    @Test
    void defaultsLogTextLinesAtInfoAndKeepLibrariesQuiet() throws Exception {
        String[] lines = logLines(Chart.render());

        assertThat(lines).singleElement().satisfies(line -> assertThat(line).contains("INFO").contains("revision abc synced"));
    }

    @Test
    void jsonFormatAtDebugLogsOneJsonObjectPerEvent() throws Exception {
        String[] lines = logLines(Chart.render(Map.of("logging", Map.of("format", "json", "level", "DEBUG"))));

        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines[0]);
        assertThat(first.path("level").asText()).isEqualTo("DEBUG");
        assertThat(first.path("loggerName").asText()).isEqualTo("io.conduit.operator.gateway.EdgeGatewayReconciler");
        assertThat(first.path("message").asText()).isEqualTo("pushing revision abc to 2 pods");
        assertThat(json.readTree(lines[1]).path("level").asText()).isEqualTo("INFO");
    }

    @Test
    void aChangedLoggingValueRollsTheOperatorPod() {
        String checksum = "conduit.io/logging-checksum";
        String text = HelmChartTest.operator(Chart.render()).getSpec().getTemplate().getMetadata().getAnnotations().get(checksum);
        String json = HelmChartTest.operator(Chart.render(Map.of("logging", Map.of("format", "json"))))
                .getSpec().getTemplate().getMetadata().getAnnotations().get(checksum);

        assertThat(text).isNotBlank().isNotEqualTo(json);
    }
}
