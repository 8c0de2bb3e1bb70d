package io.conduit.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessagePayloadTest {

    static MessagePayload parse(String json) throws Exception {
        return MessagePayload.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anObjectKeepsItsTextAndIsParsedOnlyWhenRead() throws Exception {
        MessagePayload payload = parse("{ \"a\" : 1.0, \"b\": [true, null] }");
        assertThat(payload.json()).isEqualTo("{ \"a\" : 1.0, \"b\": [true, null] }");
        assertThat(payload.tree().at("/b/0").asBoolean()).isTrue();
        assertThat(payload.isNull()).isFalse();
    }

    @Test
    void aScalarIsParsedAndWrittenInItsJsonForm() throws Exception {
        assertThat(parse(" 42 ").json()).isEqualTo("42");
        assertThat(parse("\"hi\"").tree().asText()).isEqualTo("hi");
        assertThat(parse("null").isNull()).isTrue();
    }

    @Test
    void aTreeIsWrittenOnce() {
        MessagePayload payload = MessagePayload.of(JsonNodeFactory.instance.objectNode().put("x", "y"));
        assertThat(payload.json()).isEqualTo("{\"x\":\"y\"}").isSameAs(payload.json());
        assertThat(MessagePayload.of(null).isNull()).isTrue();
        assertThat(MessagePayload.of(TextNode.valueOf("t")).json()).isEqualTo("\"t\"");
    }

    @Test
    void aLeadingByteOrderMarkAndSurroundingWhitespaceAreNotPartOfTheMessage() throws Exception {
        assertThat(parse("\uFEFF {\"a\": 1}\r\n").json()).isEqualTo("{\"a\": 1}");
    }

    @Test
    void utf16IsRefused() {
        byte[] utf16 = "{\"a\": 1}".getBytes(StandardCharsets.UTF_16LE);
        assertThatThrownBy(() -> MessagePayload.parse(utf16)).isInstanceOf(IOException.class);
        byte[] utf16WithMark = "{\"a\": 1}".getBytes(StandardCharsets.UTF_16);
        assertThatThrownBy(() -> MessagePayload.parse(utf16WithMark)).isInstanceOf(IOException.class);
    }

    @Test
    void aRepeatedKeyIsWrittenAnewWithTheLastValueAsTemplatesSeeIt() throws Exception {
        MessagePayload payload = parse("{\"a\": 1, \"b\": {\"c\": 1, \"c\": 2}}");
        assertThat(payload.json()).isEqualTo("{\"a\":1,\"b\":{\"c\":2}}");
        assertThat(payload.tree().at("/b/c").asInt()).isEqualTo(2);
        assertThat(parse("{\"a\": 1, \"a\": 2}").json()).isEqualTo("{\"a\":2}");
        assertThat(parse("[{\"a\": 1}, {\"a\": 2}]").json()).as("the same key in two objects is no repeat")
                .isEqualTo("[{\"a\": 1}, {\"a\": 2}]");
    }

    @Test
    void moreThanOneValueIsRefused() {
        assertThatThrownBy(() -> parse("{\"a\": 1} {\"b\": 2}")).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("trailing content");
        assertThatThrownBy(() -> parse("[1] x")).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> parse("{\"a\": 1")).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> parse("42 x")).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> parse("\"a\" \"b\"")).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void textThatIsNotUtf8IsRefusedButAReplacementCharacterIsFine() throws Exception {
        byte[] badContinuation = {'[', '"', (byte) 0xC3, (byte) 0x28, '"', ']'};
        assertThatThrownBy(() -> MessagePayload.parse(badContinuation)).isInstanceOf(IOException.class);
        // An overlong '/': the JSON tokenizer lets it through, the UTF-8 check does not.
        byte[] overlong = {'[', '"', (byte) 0xC0, (byte) 0xAF, '"', ']'};
        assertThatThrownBy(() -> MessagePayload.parse(overlong)).isInstanceOf(CharacterCodingException.class);
        assertThat(parse("[\"\uFFFD\"]").tree().get(0).asText()).isEqualTo("\uFFFD");
    }
}
