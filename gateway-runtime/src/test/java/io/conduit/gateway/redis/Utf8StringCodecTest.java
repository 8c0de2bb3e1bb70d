package io.conduit.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8StringCodecTest {

    /** What goes on the wire must be exactly what Lettuce's own UTF-8 codec writes, for any text. */
    @Test
    void commandsAreEncodedByteForByteLikeLettucesOwnCodec() {
        String[] values = {"", "plain ascii", "{\"json\":\"é ü ß\"}", "日本語のテキスト", "emoji 🚀 and € sign",
                "x".repeat(5000)};
        for (String value : values) {
            assertThat(wire(new CommandArgs<>(Utf8StringCodec.INSTANCE).addKey("key:" + value).addValue(value).addValue("after")))
                    .as(value)
                    .isEqualTo(wire(new CommandArgs<>(StringCodec.UTF8).addKey("key:" + value).addValue(value).addValue("after")));
        }
    }

    @Test
    void aValueEncodedWithoutBeingSizedFirstIsStillRight() {
        ByteBuf target = Unpooled.buffer();
        Utf8StringCodec.INSTANCE.estimateSize("another one");
        Utf8StringCodec.INSTANCE.encodeValue("naïve", target);
        assertThat(target.toString(StandardCharsets.UTF_8)).isEqualTo("naïve");
        assertThat(StringCodec.UTF8.decodeValue(Utf8StringCodec.INSTANCE.encodeValue("ça"))).isEqualTo("ça");
    }

    private static String wire(CommandArgs<String, String> args) {
        ByteBuf buffer = Unpooled.buffer();
        args.encode(buffer);
        return buffer.toString(StandardCharsets.ISO_8859_1);
    }
}
