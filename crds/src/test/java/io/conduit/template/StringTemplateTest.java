package io.conduit.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StringTemplateTest {
    private static final ZonedDateTime NOW = ZonedDateTime.of(2025, 3, 7, 9, 5, 2, 0, ZoneOffset.UTC);

    private final Context context = new Context(
            Map.of(Root.PATH, JsonNodeFactory.instance.objectNode().put("id", "o-7"),
                    Root.HEADERS, JsonNodeFactory.instance.objectNode().put("x-tenant", "acme"),
                    Root.BODY, JsonNodeFactory.instance.objectNode().set("obj", JsonNodeFactory.instance.objectNode().put("k", 1))),
            Map.of(Name.BLOB_ID, "01HBLOB", Name.REQUEST_ID, "req-1", Name.FILENAME, "cat.png", Name.EXT, "png",
                    Name.UUID, "fixed-uuid"),
            NOW);

    @Test
    void interpolatesZeroPaddedDatePartsAndTheBlobId() {
        StringTemplate t = StringTemplate.compile("{yyyy}/{MM}/{dd}/{blobId}", Scope.blobKey(Set.of()), "key");
        assertThat(t.render(context)).isEqualTo("2025/03/07/01HBLOB");
        assertThat(t.uses(Name.BLOB_ID)).isTrue();
        assertThat(t.uses(Name.UUID)).isFalse();
        assertThat(t.isConstant()).isFalse();
    }

    @Test
    void interpolatesTimeAndRequestNames() {
        StringTemplate t = StringTemplate.compile("{HH}:{mm}:{ss} {requestId} {uuid} {filename} {ext}", Scope.blobKey(Set.of()), "key");
        assertThat(t.render(context)).isEqualTo("09:05:02 req-1 fixed-uuid cat.png png");
    }

    @Test
    void interpolatesReferences() {
        StringTemplate t = StringTemplate.compile("orders/{$path.id}/{ $headers.X-Tenant }", Scope.beforeQueue(Set.of("id")), "queue");
        assertThat(t.render(context)).isEqualTo("orders/o-7/acme");
    }

    @Test
    void referencesToObjectsRenderAsJsonAndMissingOnesAsEmptyText() {
        StringTemplate t = StringTemplate.compile("[{$body.obj}][{$body.missing}]", Scope.beforeQueue(Set.of()), "queue");
        assertThat(t.render(context)).isEqualTo("[{\"k\":1}][]");
    }

    @Test
    void doubledBracesAreLiteralBraces() {
        StringTemplate t = StringTemplate.compile("{{literal}} {{{$path.id}}}", Scope.beforeQueue(Set.of("id")), "queue");
        assertThat(t.render(context)).isEqualTo("{literal} {o-7}");
        assertThat(StringTemplate.compile("{{x}}", Scope.beforeQueue(Set.of()), "q").isConstant()).isTrue();
    }

    @Test
    void textWithoutPlaceholdersIsConstant() {
        StringTemplate t = StringTemplate.compile("orders-$not-a-ref", Scope.beforeQueue(Set.of()), "queue");
        assertThat(t.isConstant()).isTrue();
        assertThat(t.render(context)).isEqualTo("orders-$not-a-ref");
        assertThat(ValueTemplate.compile(TextNode.valueOf("a {{b}}"), Scope.beforeQueue(Set.of()), "m").render(context))
                .isEqualTo(TextNode.valueOf("a {b}"));
    }

    @Test
    void anUnknownPlaceholderListsTheKnownNames() {
        assertThatThrownBy(() -> StringTemplate.compile("{yyyy}/{year}", Scope.blobKey(Set.of()), "send.blob.key"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("send.blob.key: unknown placeholder {year} in \"{yyyy}/{year}\"")
                .hasMessageContaining("yyyy MM dd");
    }

    @Test
    void anUnclosedBraceIsAnError() {
        assertThatThrownBy(() -> StringTemplate.compile("a/{blobId", Scope.blobKey(Set.of()), "send.blob.key"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("send.blob.key: unclosed '{' in \"a/{blobId\" (write {{ for a literal brace)");
    }

    @Test
    void aStrayClosingBraceIsAnError() {
        assertThatThrownBy(() -> StringTemplate.compile("a}b", Scope.blobKey(Set.of()), "send.blob.key"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("send.blob.key: stray '}' in \"a}b\" (write }} for a literal brace)");
    }

    @Test
    void aNameOutsideItsScopeIsAnError() {
        // A queue rule has no blob, so no blobId.
        assertThatThrownBy(() -> StringTemplate.compile("{blobId}", Scope.beforeQueue(Set.of()), "send.queue.queue"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("send.queue.queue: {blobId} is not available in a queue rule here");
    }
}
