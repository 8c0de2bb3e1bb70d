package io.conduit.gateway.queue;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.conduit.config.ConfigJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A message's JSON value, held as a tree, as JSON text, or both. A JSON object or array the client
 * sent keeps its text: a {@code $body} message is passed on as it came instead of being parsed into
 * a tree and written back out, which was a good part of the cost of a queued request. The tree is
 * built only when something reads it (a template, an idempotency fingerprint).
 */
public final class MessagePayload {
    private volatile JsonNode tree;
    private volatile String json;

    private MessagePayload(JsonNode tree, String json) {
        this.tree = tree;
        this.json = json;
    }

    /** A value built by the gateway (a rendered template, a form, a text body); null is JSON null. */
    public static MessagePayload of(JsonNode tree) {
        return new MessagePayload(tree == null || tree.isMissingNode() ? NullNode.getInstance() : tree, null);
    }

    /**
     * A JSON body as received, which must be UTF-8 (RFC 8259; a leading byte order mark is ignored).
     * An object or array is checked token by token and kept as its text. A bare scalar is parsed (it
     * is short, and its JSON form may differ from the text, e.g. {@code 1.0e0}), and so is a value
     * with a repeated key: the text would leave it to each consumer's parser which one counts, so it
     * is written anew with the last one, as the gateway's templates read it.
     *
     * @throws JsonProcessingException when the text is not one JSON value (trailing content included)
     * @throws CharacterCodingException when it is not UTF-8
     */
    public static MessagePayload parse(byte[] bytes) throws IOException {
        // Decoded first, and parsed from the text: Jackson would otherwise guess UTF-16 or UTF-32 from the
        // bytes, and the text passed on would not be what it checked.
        String text = utf8(bytes);
        text = trimJsonWhitespace(text.startsWith("\uFEFF") ? text.substring(1) : text);
        try (JsonParser parser = ConfigJson.MAPPER.createParser(text)) {
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
                return of(onlyValue(parser));
            }
            parser.skipChildren();
            requireEnd(parser);
        } catch (JsonParseException refused) {
            if (!refused.getOriginalMessage().startsWith("Duplicate field")) {
                throw refused;
            }
            try (JsonParser parser = ConfigJson.MAPPER.createParser(text)) {
                parser.nextToken();
                return of(onlyValue(parser));
            }
        }
        return new MessagePayload(null, text);
    }

    /** The value the parser stands on, as a tree, when nothing follows it. */
    private static JsonNode onlyValue(JsonParser parser) throws IOException {
        JsonNode value = ConfigJson.MAPPER.readTree(parser);
        requireEnd(parser);
        return value;
    }

    private static void requireEnd(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new JsonParseException(parser, "trailing content after the JSON value");
        }
    }

    /** Without the whitespace JSON allows around a value (and only that: other characters are the parser's to refuse). */
    private static String trimJsonWhitespace(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isJsonWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && isJsonWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isJsonWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** Decodes strictly: a malformed sequence must not become U+FFFD in a message (the fast path is one scan). */
    private static String utf8(byte[] bytes) throws CharacterCodingException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0) {
            // Either a real U+FFFD or a replaced malformed sequence: only a strict decode tells.
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        }
        return text;
    }

    /** The value as a tree; parsed from the text on first use. */
    public JsonNode tree() {
        JsonNode value = tree;
        if (value == null) {
            try {
                value = ConfigJson.MAPPER.readTree(json);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("payload text was checked when it was read", e);
            }
            tree = value;
        }
        return value;
    }

    /** The value as JSON text: the client's own text when there is one. */
    public String json() {
        String value = json;
        if (value == null) {
            value = ConfigJson.write(tree);
            json = value;
        }
        return value;
    }

    /** Whether the value is JSON null (text kept from a client is always an object or an array). */
    public boolean isNull() {
        JsonNode value = tree;
        return value != null && value.isNull();
    }
}
