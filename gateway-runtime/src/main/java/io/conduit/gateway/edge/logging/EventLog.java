package io.conduit.gateway.edge.logging;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.config.ConfigJson;
import io.conduit.gateway.edge.metrics.Metrics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's machine-readable log: one JSON object per line ({@code type} says which event:
 * request, reload, backend, ws.connect, ws.message, ws.close), to stdout or an append-only file.
 * Callers on the event loop only hand a line to a bounded queue; one writer thread does the I/O.
 * When the writer falls behind, lines are dropped and counted rather than blocking traffic.
 */
public final class EventLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
    static final int CAPACITY = 65_536;
    private static final long BATCH_INTERVAL_MILLIS = 20;
    private static final String STOP = "";

    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(CAPACITY);
    private volatile Writer out;
    private final Callable<Writer> opener;
    private final boolean ownsOut;
    private final Metrics metrics;
    private final Thread writer;
    private volatile boolean closed;

    private EventLog(Callable<Writer> opener, boolean ownsOut, Metrics metrics) {
        this.opener = opener;
        this.ownsOut = ownsOut;
        this.metrics = metrics;
        this.writer = Thread.ofPlatform().daemon().name("conduit-event-log").start(this::run);
    }

    /** Lines to {@code file} (appended; parent folders created), or to stdout when {@code file} is null. */
    public static EventLog open(Path file, Metrics metrics) throws IOException {
        if (file == null) {
            return new EventLog(() -> new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)), false,
                    metrics);
        }
        Writer writer = openFile(file);
        return new EventLog(() -> writer, true, metrics);
    }

    /** Lines to {@code file}, opened by the writer thread (so a caller on the event loop never touches the disk). */
    public static EventLog openLazily(Path file, Metrics metrics) {
        return new EventLog(() -> openFile(file), true, metrics);
    }

    private static Writer openFile(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    /** A new event of {@code type} with its timestamp; fill it in and {@link #write} it. */
    public static ObjectNode event(String type) {
        return JsonNodeFactory.instance.objectNode().put("ts", Instant.now().toString()).put("type", type);
    }

    /** Queues the line; never blocks. */
    public void write(ObjectNode event) {
        offer(ConfigJson.write(event));
    }

    /** The fields of one line after {@code ts} and {@code type}, written straight to the generator. */
    @FunctionalInterface
    public interface Fields {
        void write(JsonGenerator line) throws IOException;
    }

    /**
     * Queues a line of {@code type} without building a tree first: for the line every request
     * writes, where the tree cost more than the text. Never blocks.
     */
    public void write(String type, Fields fields) {
        if (closed) {
            metrics.logLineDropped();
            return;
        }
        BufferRecycler recycler = ConfigJson.MAPPER.getFactory()._getBufferRecycler();
        SegmentedStringWriter text = new SegmentedStringWriter(recycler);
        try (JsonGenerator line = ConfigJson.MAPPER.getFactory().createGenerator(text)) {
            line.writeStartObject();
            line.writeStringField("ts", Instant.now().toString());
            line.writeStringField("type", type);
            fields.write(line);
            line.writeEndObject();
            line.close();
            offer(text.getAndClear());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            recycler.releaseToPool();
        }
    }

    private void offer(String line) {
        if (closed || !lines.offer(line)) {
            metrics.logLineDropped();
        }
    }

    private void run() {
        List<String> batch = new ArrayList<>();
        try {
            out = opener.call();
        } catch (Exception e) {
            LOG.error("the JSON log cannot be opened; its lines are dropped: {}", e.getMessage());
            closed = true;
            return;
        }
        try {
            while (true) {
                String first = lines.take();
                batch.add(first);
                lines.drainTo(batch);
                boolean stop = false;
                for (String line : batch) {
                    if (line == STOP) {
                        stop = true;
                        continue;
                    }
                    out.write(line);
                    out.write('\n');
                }
                batch.clear();
                out.flush();
                if (stop) {
                    return;
                }
                // Let lines gather before the next batch: one write and one wake-up per interval instead
                // of one per request under load (the queue holds far more than an interval's worth).
                Thread.sleep(BATCH_INTERVAL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.error("the JSON log cannot be written; further lines are dropped: {}", e.getMessage());
            closed = true;
        }
    }

    /** Writes what is queued, then stops; waits briefly so a shutdown keeps its last lines. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lines.put(STOP);
            writer.join(TimeUnit.SECONDS.toMillis(5));
            if (out == null) {
                return;
            }
            if (ownsOut) {
                out.close();
            } else {
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("closing the JSON log: {}", e.getMessage());
        }
    }
}
