package io.conduit.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValueTemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Scope SCOPE = Scope.afterBlob(Set.of("id"));

    private final Context context = new Context(Map.of(
            Root.BODY, json("{\"items\": [{\"sku\": \"a\"}, {\"sku\": \"b\"}], \"n\": 42, \"ok\": true, \"nested\": {\"x\": null}}"),
            Root.HEADERS, json("{\"x-foo\": \"bar\", \"content-type\": \"application/json\"}"),
            Root.PATH, json("{\"id\": \"o-7\"}"),
            Root.TENANT, TextNode.valueOf("acme"),
            Root.BLOB_REF, json("{\"blobId\": \"b1\", \"size\": 3}")),
            Map.of(Name.BLOB_ID, "b1"),
            ZonedDateTime.of(2025, 3, 7, 9, 5, 2, 0, ZoneOffset.UTC));

    @Test
    void wholeValueReferenceKeepsAnArrayAnArray() {
        JsonNode out = render("\"$body.items\"");
        assertThat(out.isArray()).isTrue();
        assertThat(out).isEqualTo(json("[{\"sku\": \"a\"}, {\"sku\": \"b\"}]"));
    }

    @Test
    void wholeValueReferenceKeepsNumbersAndBooleans() {
        assertThat(render("\"$body.n\"").isInt()).isTrue();
        assertThat(render("\"$body.n\"").intValue()).isEqualTo(42);
        assertThat(render("\"$body.ok\"").isBoolean()).isTrue();
        assertThat(render("\"$tenant\"")).isEqualTo(TextNode.valueOf("acme"));
    }

    @Test
    void readsArrayElementsByIndex() {
        assertThat(render("\"$body.items.1.sku\"")).isEqualTo(TextNode.valueOf("b"));
    }

    @Test
    void aMissingPathGivesNullNotAnError() {
        assertThat(render("\"$body.nope\"").isNull()).isTrue();
        assertThat(render("\"$body.nope.deeper\"").isNull()).isTrue();
        assertThat(render("\"$body.nested.x.y\"").isNull()).isTrue();
        assertThat(render("\"$body.items.9\"").isNull()).isTrue();
        assertThat(render("\"$query.page\"").isNull()).isTrue(); // a root absent from the context
    }

    @Test
    void doubleDollarIsALiteralDollar() {
        assertThat(render("\"$$body.n\"")).isEqualTo(TextNode.valueOf("$body.n"));
        assertThat(render("{\"price\": \"$$5\"}")).isEqualTo(json("{\"price\": \"$5\"}"));
    }

    @Test
    void stringsWithPlaceholdersAreInterpolatedToText() {
        assertThat(render("\"order {$path.id} of {$tenant}: {$body.n}\"")).isEqualTo(TextNode.valueOf("order o-7 of acme: 42"));
    }

    @Test
    void constantsStayAsWritten() {
        assertThat(render("{\"a\": 1, \"b\": [true, null], \"c\": \"plain text\"}"))
                .isEqualTo(json("{\"a\": 1, \"b\": [true, null], \"c\": \"plain text\"}"));
    }

    @Test
    void objectsAndArraysAreTemplatedMemberByMember() {
        JsonNode out = render("{\"type\": \"file_uploaded\", \"payload\": {\"blobRef\": \"$blobRef\", \"first\": \"$body.items.0\"},"
                + " \"tags\": [\"$tenant\", \"id-{$path.id}\", 3]}");
        assertThat(out).isEqualTo(json("{\"type\": \"file_uploaded\", \"payload\": {\"blobRef\": {\"blobId\": \"b1\", \"size\": 3},"
                + " \"first\": {\"sku\": \"a\"}}, \"tags\": [\"acme\", \"id-o-7\", 3]}"));
    }

    @Test
    void headerReferencesAreCaseInsensitive() {
        assertThat(render("\"$headers.X-Foo\"")).isEqualTo(TextNode.valueOf("bar"));
        assertThat(render("\"$headers.CONTENT-TYPE\"")).isEqualTo(TextNode.valueOf("application/json"));
        assertThat(render("\"{$headers.X-FOO}\"")).isEqualTo(TextNode.valueOf("bar"));
    }

    @Test
    void nullCompilesToNull() {
        assertThat(ValueTemplate.compile(null, SCOPE, "here").render(context).isNull()).isTrue();
    }

    private JsonNode render(String templateJson) {
        return ValueTemplate.compile(json(templateJson), SCOPE, "test").render(context);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
