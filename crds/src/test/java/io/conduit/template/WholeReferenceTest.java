package io.conduit.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.conduit.config.RouteConfig;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A string field whose whole value is one reference takes the reference's value, as seed 000 writes its rules. */
class WholeReferenceTest {
    private final Context context = new Context(
            Map.of(Root.BODY, JsonNodeFactory.instance.objectNode().put("idempotencyKey", "wo-42").put("customerId", "c-7"),
                    Root.PATH, JsonNodeFactory.instance.objectNode().put("kind", "repairs")),
            Map.of(), ZonedDateTime.now());

    @Test
    void jobIdKeyAndQueueTakeTheReferencedValue() {
        RouteTemplates t = RouteTemplates.compile(route("/orders/{kind}", "$path.kind",
                new RouteConfig.Options("$body.idempotencyKey", null, null, null, null, null, "$body.customerId")));

        assertThat(t.jobId().render(context)).isEqualTo("wo-42");
        assertThat(t.recordKey().render(context)).isEqualTo("c-7");
        assertThat(t.queueName().render(context)).isEqualTo("repairs");
    }

    @Test
    void aDoubledDollarIsStillLiteralText() {
        assertThat(StringTemplate.compile("$$body.id", Scope.beforeQueue(Set.of()), "q").render(context)).isEqualTo("$body.id");
    }

    @Test
    void aWholeReferenceIsCheckedWhenTheRuleLoads() {
        assertThatThrownBy(() -> RouteTemplates.compile(route("/orders", "q",
                new RouteConfig.Options("$blobRef.key", null, null, null, null, null, null))))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("send.queue.options.jobId: $blobRef is not available in a queue rule");
    }

    @ParameterizedTest
    @ValueSource(strings = {"order/{$body.id}", "order {$body.id}", "-{$body.id}", "$headers", "$path"})
    void aJobIdNoRequestCouldMakeValidIsALoadTimeProblem(String jobId) {
        assertThatThrownBy(() -> RouteTemplates.compile(route("/orders/{id}", "q",
                new RouteConfig.Options(jobId, null, null, null, null, null, null))))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("send.queue.options.jobId: ")
                .hasMessageContaining("can never be a job id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"order-{$body.id}", "{$path.id}.v1", "$body.idempotencyKey", "fixed-id"})
    void jobIdsThatDependOnTheRequestLoad(String jobId) {
        assertThat(RouteTemplates.compile(route("/orders/{id}", "q",
                new RouteConfig.Options(jobId, null, null, null, null, null, null))).jobId()).isNotNull();
    }

    private static RouteConfig route(String path, String queue, RouteConfig.Options options) {
        return new RouteConfig("default/r", 1, new RouteConfig.Match("POST", path, null, List.of()), null,
                new RouteConfig.Queue("jobs", queue, TextNode.valueOf("$body"), null, options), null, null);
    }
}
