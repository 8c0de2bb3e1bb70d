package io.conduit.gateway.redis;

import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.codec.ToByteBufEncoder;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Lettuce's UTF-8 string codec with a faster encoder. Lettuce's own writes a string into the command
 * buffer one char at a time, and since it cannot say the encoded size up front, Lettuce first encodes
 * each argument into a temporary pooled buffer and copies it over: for a 1 KiB message that was the
 * largest slice of a queue send's CPU. Here the JDK converts the string (a bulk copy for ASCII text),
 * the size is exact, and the bytes are written once, straight into the command. Lettuce asks for an
 * argument's size and then encodes it, back to back on one thread, so the bytes computed for the size
 * are kept for that encode (one entry per thread). Decoding is Lettuce's own.
 */
final class Utf8StringCodec implements RedisCodec<String, String>, ToByteBufEncoder<String, String> {
    static final Utf8StringCodec INSTANCE = new Utf8StringCodec();

    /** The last string sized on this thread and its bytes. */
    private static final ThreadLocal<Encoded> LAST = ThreadLocal.withInitial(Encoded::new);

    private static final class Encoded {
        private String string;
        private byte[] bytes;
    }

    private Utf8StringCodec() {
    }

    @Override
    public String decodeKey(ByteBuffer bytes) {
        return StringCodec.UTF8.decodeKey(bytes);
    }

    @Override
    public String decodeValue(ByteBuffer bytes) {
        return StringCodec.UTF8.decodeValue(bytes);
    }

    @Override
    public ByteBuffer encodeKey(String key) {
        return encode(key);
    }

    @Override
    public ByteBuffer encodeValue(String value) {
        return encode(value);
    }

    @Override
    public void encodeKey(String key, ByteBuf target) {
        write(key, target);
    }

    @Override
    public void encodeValue(String value, ByteBuf target) {
        write(value, target);
    }

    @Override
    public int estimateSize(Object keyOrValue) {
        if (keyOrValue == null) {
            return 0;
        }
        Encoded last = LAST.get();
        last.string = (String) keyOrValue;
        last.bytes = last.string.getBytes(StandardCharsets.UTF_8);
        return last.bytes.length;
    }

    @Override
    public boolean isEstimateExact() {
        return true;
    }

    private static ByteBuffer encode(String s) {
        return s == null ? ByteBuffer.allocate(0) : ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(String s, ByteBuf target) {
        if (s == null) {
            return;
        }
        Encoded last = LAST.get();
        if (last.string == s) {
            target.writeBytes(last.bytes);
            last.string = null;
            last.bytes = null;
        } else {
            target.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }
}
