package io.conduit.gateway.blob.s3;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;
import java.nio.ByteBuffer;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;

/**
 * Streams a byte range of an object into an HTTP response with back-pressure: one SDK buffer is
 * requested at a time, and the next only once the response can take more.
 */
final class S3Download implements Subscriber<ByteBuffer> {
    private final Context context;
    private final WriteStream<Buffer> response;
    /** What a failure after the first bytes does to the target (an HTTP response is reset). */
    private final Runnable onBroken;
    private final Promise<Void> done = Promise.promise();
    private Subscription subscription;

    private S3Download(Context context, WriteStream<Buffer> response, Runnable onBroken) {
        this.context = context;
        this.response = response;
        this.onBroken = onBroken;
    }

    /** Streams a whole object of {@code length} bytes into {@code target} and ends it. */
    static Future<Void> copy(S3BlobSink sink, String key, long length, WriteStream<Buffer> target) {
        if (length == 0) {
            return target.end();
        }
        Context context = sink.vertx().getOrCreateContext();
        return S3BlobSink.call(context, sink.clients().client().getObject(b -> b.bucket(sink.bucket()).key(key),
                AsyncResponseTransformer.toPublisher())).compose(publisher -> {
                    S3Download download = new S3Download(context, target, () -> { });
                    publisher.subscribe(download);
                    return download.done.future();
                });
    }

    static Future<Void> send(S3BlobSink sink, String key, long offset, long length, HttpServerResponse response) {
        response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(length));
        if (length == 0) {
            return response.end();
        }
        Context context = sink.vertx().getOrCreateContext();
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        return S3BlobSink.call(context, sink.clients().client().getObject(b -> b.bucket(sink.bucket()).key(key).range(range),
                AsyncResponseTransformer.toPublisher())).compose(publisher -> {
                    S3Download download = new S3Download(context, response, response::reset);
                    response.closeHandler(v -> download.cancel());
                    publisher.subscribe(download);
                    return download.done.future();
                });
    }

    private void cancel() {
        if (subscription != null) {
            subscription.cancel();
        }
        done.tryFail("client closed the connection");
    }

    @Override
    public void onSubscribe(Subscription s) {
        context.runOnContext(v -> {
            subscription = s;
            if (done.future().isComplete()) {
                s.cancel();
            } else {
                s.request(1);
            }
        });
    }

    @Override
    public void onNext(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        context.runOnContext(v -> {
            if (done.future().isComplete()) {
                return;
            }
            response.write(Buffer.buffer(copy));
            if (response.writeQueueFull()) {
                response.drainHandler(d -> subscription.request(1));
            } else {
                subscription.request(1);
            }
        });
    }

    @Override
    public void onError(Throwable t) {
        context.runOnContext(v -> {
            // The status line is gone already: cutting the connection is the only way to tell the client.
            if (done.tryFail(t)) {
                onBroken.run();
            }
        });
    }

    @Override
    public void onComplete() {
        context.runOnContext(v -> {
            if (!done.future().isComplete()) {
                response.end().onComplete(done);
            }
        });
    }
}
