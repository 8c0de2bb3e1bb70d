package io.conduit.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Compile-time checks of references: what a template may name where it stands. */
class ReferenceScopeTest {

    @Test
    void blobRefInAQueueMessageIsRejectedWithAHint() {
        assertThatThrownBy(() -> compile("$blobRef", Scope.beforeQueue(Set.of()), "send.queue.message"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("send.queue.message: $blobRef is not available in a queue rule")
                .hasMessageContaining("$blobRef exists only in respond and onComplete of a blob rule");
    }

    @Test
    void blobRefNestedInAMessageIsRejectedWithItsLocation() {
        assertThatThrownBy(() -> ValueTemplate.compile(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"payload\": {\"ref\": \"{$blobRef.key}\"}}"),
                Scope.beforeQueue(Set.of()), "send.queue.message"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("send.queue.message.payload.ref: $blobRef is not available");
    }

    @Test
    void queueRefExistsOnlyAfterQueueing() {
        assertThatNoException().isThrownBy(() -> compile("$queueRef.jobId", Scope.afterQueue(Set.of()), "respond"));
        assertThatThrownBy(() -> compile("$queueRef", Scope.afterBlob(Set.of()), "respond"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("$queueRef is not available in a blob rule")
                .hasMessageContaining("$queueRef exists only in respond and onComplete of a queue rule");
    }

    @Test
    void blobKeysCannotReadTheBodyTheyAreAboutToStore() {
        assertThatThrownBy(() -> compile("$body.name", Scope.blobKey(Set.of()), "send.blob.key"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("$body is not available in a blob key");
    }

    @Test
    void pathVariablesMustBeVariablesOfTheRulesPath() {
        assertThatNoException().isThrownBy(() -> compile("$path.id", Scope.beforeQueue(Set.of("id")), "m"));
        assertThatThrownBy(() -> compile("$path.x", Scope.beforeQueue(Set.of("id")), "send.queue.message"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("send.queue.message: $path.x is not a variable of the rule's path (it has [id])");
        assertThatThrownBy(() -> compile("{$path.x}", Scope.beforeQueue(Set.of()), "send.queue.queue"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("send.queue.queue: $path.x is not a variable of the rule's path (it has none)");
    }

    @Test
    void pathReferencesHaveAtMostOneField() {
        assertThatThrownBy(() -> compile("$path.id.more", Scope.beforeQueue(Set.of("id")), "m"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("m: write $path.<variable>, e.g. $path.id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$bodyy", "$Body", "$env.HOME", "$blob"})
    void anUnknownRootListsTheKnownOnes(String text) {
        String root = text.substring(1).split("\\.")[0];
        assertThatThrownBy(() -> compile(text, Scope.afterBlob(Set.of()), "respond"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("respond: unknown reference $" + root + " (known: $body, $headers");
    }

    @Test
    void tenantHasNoFields() {
        assertThatThrownBy(() -> compile("$tenant.name", Scope.beforeQueue(Set.of()), "m"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("m: $tenant has no fields");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$", "$body.", "$body..x", "$body and more", "$body.a b"})
    void textThatStartsWithDollarMustBeAReference(String text) {
        assertThatThrownBy(() -> compile(text, Scope.beforeQueue(Set.of()), "m"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("m: '" + text + "' is not a reference (write $root.field, e.g. $body.id)");
    }

    @Test
    void headerFieldsAreStoredLowerCased() {
        ValueTemplate t = compile("$headers.X-Request-ID", Scope.beforeQueue(Set.of()), "m");
        assertThat(t).isInstanceOf(ValueTemplate.ReferenceTemplate.class);
        assertThat(((ValueTemplate.ReferenceTemplate) t).reference()).hasToString("$headers.x-request-id");
    }

    private static ValueTemplate compile(String text, Scope scope, String where) {
        return ValueTemplate.compile(TextNode.valueOf(text), scope, where);
    }
}
