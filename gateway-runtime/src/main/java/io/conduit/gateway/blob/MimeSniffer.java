package io.conduit.gateway.blob;

import java.nio.charset.StandardCharsets;

/** Guesses a MIME type from a blob's first bytes, for uploads that declare none (or only octet-stream). */
public final class MimeSniffer {
    public static final int BYTES_NEEDED = 16;
    public static final String OCTET_STREAM = "application/octet-stream";

    private MimeSniffer() {
    }

    public static String sniff(byte[] head) {
        if (startsWith(head, 0x89, 'P', 'N', 'G')) {
            return "image/png";
        }
        if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(head, 'G', 'I', 'F', '8')) {
            return "image/gif";
        }
        if (startsWith(head, '%', 'P', 'D', 'F', '-')) {
            return "application/pdf";
        }
        if (startsWith(head, 'P', 'K', 3, 4)) {
            return "application/zip";
        }
        if (startsWith(head, 0x1F, 0x8B)) {
            return "application/gzip";
        }
        if (head.length >= 12 && startsWith(head, 'R', 'I', 'F', 'F') && head[8] == 'W' && head[9] == 'E' && head[10] == 'B'
                && head[11] == 'P') {
            return "image/webp";
        }
        String text = new String(head, StandardCharsets.UTF_8).stripLeading();
        if (text.startsWith("{") || text.startsWith("[")) {
            return "application/json";
        }
        if (text.startsWith("<?xml")) {
            return "application/xml";
        }
        return OCTET_STREAM;
    }

    private static boolean startsWith(byte[] head, int... prefix) {
        if (head.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((head[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
