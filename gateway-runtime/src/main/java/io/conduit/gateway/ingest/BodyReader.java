package io.conduit.gateway.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.conduit.gateway.edge.limits.BodyProgress;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.queue.MessagePayload;
import io.conduit.gateway.routing.CompiledRoute;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a queue rule's body (small by design: large payloads belong in a blob rule) and turns it
 * into the JSON value templates see as {@code $body}: JSON (kept as sent when it is an object or
 * array), text, or form fields.
 */
final class BodyReader {
    private BodyReader() {
    }

    static Future<MessagePayload> read(HttpServerRequest request, long limit, BodyProgress progress) {
        String contentType = request.getHeader("Content-Type");
        String base = contentType == null ? null : CompiledRoute.baseType(contentType);
        boolean form = "application/x-www-form-urlencoded".equals(base) || "multipart/form-data".equals(base);
        if (base != null && !form && !isJson(base) && !base.startsWith("text/")) {
            return Future.failedFuture(new GatewayException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "a queue rule takes JSON, "
                    + "text or form bodies, not " + base + "; send other bodies to a blob rule"));
        }
        Promise<Buffer> body = Promise.promise();
        Buffer collected = Buffer.buffer();
        long[] size = {0};
        if (form) {
            request.setExpectMultipart(true);
            request.uploadHandler(upload -> {
                upload.handler(b -> { });
                body.tryFail(new GatewayException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                        "file parts are not accepted by a queue rule; send files to a blob rule"));
            });
        }
        request.handler(chunk -> {
            size[0] += chunk.length();
            progress.add(chunk);
            if (size[0] > limit) {
                request.pause();
                body.tryFail(new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE, "body exceeds the limit of " + limit
                        + " bytes for a queue rule"));
                return;
            }
            if (!form) {
                collected.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(body::tryFail);
        progress.onCancel(body::tryFail);
        request.endHandler(v -> body.tryComplete(collected));
        request.resume();
        return body.future().map(buffer -> {
            if (form) {
                ObjectNode fields = JsonNodeFactory.instance.objectNode();
                request.formAttributes().names().forEach(n -> fields.put(n, request.formAttributes().get(n)));
                return MessagePayload.of(fields);
            }
            if (buffer.length() == 0) {
                return MessagePayload.of(null);
            }
            if (base == null || isJson(base)) {
                try {
                    return MessagePayload.parse(buffer.getBytes());
                } catch (JsonProcessingException e) {
                    throw new GatewayException(ErrorCode.BAD_REQUEST, "body is not valid JSON: " + e.getOriginalMessage());
                } catch (IOException e) {
                    throw new GatewayException(ErrorCode.BAD_REQUEST, "body is not valid JSON (not UTF-8)");
                }
            }
            return MessagePayload.of(TextNode.valueOf(buffer.toString(StandardCharsets.UTF_8)));
        });
    }

    private static boolean isJson(String base) {
        return base.equals("application/json") || base.endsWith("+json");
    }
}
