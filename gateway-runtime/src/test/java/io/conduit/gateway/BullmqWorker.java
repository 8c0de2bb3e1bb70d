package io.conduit.gateway;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.config.ConfigJson;
import io.conduit.testsupport.ManagedProcess;
import io.conduit.testsupport.Processes;
import io.conduit.testsupport.RedisServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real, unmodified BullMQ 5 worker in Node ({@code src/test/node/bullmq-worker/worker.js}), driven
 * with JSON-line commands on stdin; what it sees comes back as JSON lines. Installs the fixture with
 * {@code npm ci} when its node_modules is missing. Without node the test is skipped, or fails under CI=true.
 */
final class BullmqWorker implements AutoCloseable {
    static final Path FIXTURE = Path.of(System.getProperty("conduit.bullmq.fixture", "src/test/node/bullmq-worker"));

    private final ManagedProcess process;
    private final OutputStream stdin;
    private final AtomicInteger ids = new AtomicInteger();

    private BullmqWorker(ManagedProcess process) {
        this.process = process;
        this.stdin = process.process().getOutputStream();
    }

    static BullmqWorker start(RedisServer redis, Path logDir) throws Exception {
        NodeTools.requireNode("to run a real BullMQ worker");
        NodeTools.npmCi(FIXTURE, "node_modules/bullmq");
        ProcessBuilder builder = new ProcessBuilder("node", "worker.js").directory(FIXTURE.toFile());
        builder.environment().put("REDIS_URL", redis.uri().toString());
        BullmqWorker worker = new BullmqWorker(Processes.start(builder, logDir.resolve("bullmq-worker.log")));
        worker.await(e -> e.path("event").asText().equals("started"), Duration.ofSeconds(30));
        return worker;
    }

    /** Sends a command and waits for its reply; fails the test if the worker reports an error. */
    JsonNode command(String cmd, Object... fields) throws Exception {
        ObjectNode command = ConfigJson.MAPPER.createObjectNode().put("id", ids.incrementAndGet()).put("cmd", cmd);
        for (int i = 0; i < fields.length; i += 2) {
            command.set((String) fields[i], ConfigJson.MAPPER.valueToTree(fields[i + 1]));
        }
        int id = command.get("id").asInt();
        synchronized (stdin) {
            stdin.write((ConfigJson.write(command) + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }
        JsonNode reply = await(e -> e.path("reply").asInt(-1) == id, Duration.ofSeconds(30));
        if (!reply.path("ok").asBoolean()) {
            fail("worker command " + command + " failed: " + reply);
        }
        return reply;
    }

    /** Starts a BullMQ Worker on the queue (concurrency 1 unless given). */
    void work(String prefix, String queue, Object... more) throws Exception {
        List<Object> fields = new ArrayList<>(List.of("prefix", prefix, "queue", queue));
        fields.addAll(List.of(more));
        command("work", fields.toArray());
    }

    /** Everything the worker reported so far, in order. */
    List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        for (String line : process.outputText().lines().toList()) {
            if (line.startsWith("{")) {
                try {
                    events.add(ConfigJson.MAPPER.readTree(line));
                } catch (IOException notOurs) {
                    // A stray line from node itself; not a report.
                }
            }
        }
        return events;
    }

    List<JsonNode> events(String event, String queue) {
        return events().stream().filter(e -> e.path("event").asText().equals(event) && e.path("queue").asText().equals(queue))
                .toList();
    }

    /** The first report matching, waiting up to {@code timeout}. */
    JsonNode await(Predicate<JsonNode> matches, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (JsonNode e : events()) {
                if (matches.test(e)) {
                    return e;
                }
            }
            if (!process.isAlive()) {
                fail("the BullMQ worker exited: " + process.outputTail(40));
            }
            Thread.sleep(25);
        }
        return fail("no matching report from the BullMQ worker within " + timeout + "; it said:\n" + process.outputTail(40));
    }

    /** Waits until {@code count} reports match. */
    List<JsonNode> awaitCount(Predicate<JsonNode> matches, int count, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        List<JsonNode> found = List.of();
        while (System.nanoTime() < end) {
            found = events().stream().filter(matches).toList();
            if (found.size() >= count) {
                return found;
            }
            Thread.sleep(25);
        }
        return fail("expected " + count + " matching reports within " + timeout + ", got " + found.size() + ":\n" + found);
    }

    @Override
    public void close() {
        try {
            command("exit");
        } catch (Throwable ignored) {
            // Exiting is best effort; stop() below ends it either way.
        }
        process.stop(Duration.ofSeconds(5));
    }
}
