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
     * A JSON body as received. An object or array is checked token by token and kept as text; a bare
     * scalar is parsed (it is short, and its JSON form may differ from the text, e.g. {@code 1.0e0}).
     *
     * @throws JsonProcessingException when the bytes are not one JSON value (trailing content included)
     * @throws CharacterCodingException when they are not UTF-8
     */
    public static MessagePayload parse(byte[] bytes) throws IOException {
        try (JsonParser parser = ConfigJson.MAPPER.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
                return of(ConfigJson.MAPPER.readTree(bytes));
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "trailing content after the JSON value");
            }
        }
        return new MessagePayload(null, utf8(bytes));
    }

    /** Skipping a string does not decode it, so the text's encoding is checked here (the fast path is one scan). */
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
