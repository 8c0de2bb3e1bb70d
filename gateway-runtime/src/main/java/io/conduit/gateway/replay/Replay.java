package io.conduit.gateway.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.config.ConfigJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code java -jar conduit-gateway.jar replay FILE --target URL [--header "Name: value"]...}: sends the
 * requests of a record file again, in order, one at a time, and prints one JSON line per request
 * (recorded and replayed status) and a summary. Requests whose body was cut at the record cap, or
 * not kept (multipart uploads), are skipped, since sending part of a body would store something else.
 * Redacted headers are not sent; give credentials for the target with {@code --header}. Each request
 * carries its recorded request id as {@code X-Request-Id}, so what reached the backends can be matched.
 * Only the lines the file holds when replay starts are read, so replaying into a gateway that records to
 * the same file ends (and says so) instead of sending its own requests again and again.
 * Exit status: 0 when every request was sent and answered as recorded, 1 otherwise (nothing could be
 * sent because every request was skipped or the file held none, an answer differed, a request failed),
 * 2 on bad usage.
 */
public final class Replay {
    static final String USAGE = """
            usage: java -jar conduit-gateway.jar replay FILE --target URL [--header "Name: value"]...
              FILE        a record file (JSON lines written with record enabled)
              --target    base URL to send to, e.g. http://127.0.0.1:8080
              --header    extra header on every request (e.g. the target's Authorization); repeatable
            """;
    /** Headers the HTTP client sets itself or that belong to the recorded connection, not the request. */
    private static final Set<String> NOT_SENT = Set.of("host", "content-length", "connection", "keep-alive", "expect",
            "upgrade", "transfer-encoding", "te", "trailer", "proxy-connection", "http2-settings");

    private Replay() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path file = null;
        URI target = null;
        List<String[]> extra = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--target" -> target = URI.create(stripSlash(value(args, ++i, "--target")));
                    case "--header" -> {
                        String h = value(args, ++i, "--header");
                        int colon = h.indexOf(':');
                        if (colon <= 0) {
                            throw new IllegalArgumentException("--header takes \"Name: value\", not '" + h + "'");
                        }
                        extra.add(new String[] {h.substring(0, colon).trim(), h.substring(colon + 1).trim()});
                    }
                    case "-h", "--help" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    default -> {
                        if (args[i].startsWith("--") || file != null) {
                            throw new IllegalArgumentException("unknown argument " + args[i]);
                        }
                        file = Path.of(args[i]);
                    }
                }
            }
            if (file == null || target == null) {
                throw new IllegalArgumentException("a record FILE and --target are required");
            }
            if (target.getScheme() == null || target.getHost() == null) {
                throw new IllegalArgumentException("--target must be a URL such as http://127.0.0.1:8080");
            }
        } catch (IllegalArgumentException e) {
            err.println("conduit-gateway replay: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        try {
            return replay(file, target, extra, out, err);
        } catch (IOException e) {
            err.println("conduit-gateway replay: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int replay(Path file, URI target, List<String[]> extra, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        int sent = 0;
        int skipped = 0;
        int differed = 0;
        int failed = 0;
        long length = Files.size(file);
        long read = 0;
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            // Lines are counted in bytes (the recorder ends each with one \n): what was appended after the start is not ours.
            while (read < length && (text = lines.readLine()) != null) {
                read += text.getBytes(StandardCharsets.UTF_8).length + 1;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode recorded = ConfigJson.MAPPER.readTree(text);
                if (!"recorded".equals(recorded.path("type").asText())) {
                    continue;
                }
                ObjectNode result = ConfigJson.MAPPER.createObjectNode()
                        .put("requestId", recorded.path("requestId").asText())
                        .put("method", recorded.path("method").asText())
                        .put("uri", recorded.path("uri").asText())
                        .put("recordedStatus", recorded.path("status").asInt());
                String skip = recorded.has("bodyOmitted") ? "body not recorded (" + recorded.get("bodyOmitted").asText() + ")"
                        : recorded.path("truncated").asBoolean() ? "body longer than the record cap" : null;
                if (skip != null) {
                    skipped++;
                    out.println(ConfigJson.write(result.put("skipped", skip)));
                    continue;
                }
                try {
                    HttpResponse<String> response = http.send(request(recorded, target, extra),
                            HttpResponse.BodyHandlers.ofString());
                    sent++;
                    result.put("status", response.statusCode());
                    if (response.statusCode() != recorded.path("status").asInt()) {
                        differed++;
                    }
                } catch (IOException | IllegalArgumentException e) {
                    failed++;
                    result.put("error", describe(e, target));
                }
                out.println(ConfigJson.write(result));
            }
        }
        out.println(ConfigJson.write(ConfigJson.MAPPER.createObjectNode().put("summary", true).put("sent", sent)
                .put("skipped", skipped).put("differed", differed).put("failed", failed)));
        out.flush();
        long grown = Files.size(file) - length;
        if (grown > 0) {
            err.println("conduit-gateway replay: " + file + " grew by " + grown + " bytes while replaying (the target records"
                    + " to it?); only the lines it held at the start were replayed");
        }
        if (sent == 0 && failed == 0) {
            err.println("conduit-gateway replay: nothing was sent: " + (skipped == 0 ? file + " holds no recorded requests"
                    : "all " + skipped + " recorded requests were skipped (bodies not recorded or longer than the record cap;"
                    + " raise record.maxBodySize to replay them)"));
            return 1;
        }
        return differed == 0 && failed == 0 ? 0 : 1;
    }

    /** What went wrong, in words: a refused connection's exception carries no message of its own. */
    static String describe(Exception e, URI target) {
        if (e instanceof ConnectException) {
            return "connection to " + target + " refused or unreachable";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer from " + target + " in time (" + e.getClass().getSimpleName() + ")";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    static HttpRequest request(JsonNode recorded, URI target, List<String[]> extra) {
        byte[] body = recorded.has("body") ? Base64.getDecoder().decode(recorded.get("body").asText()) : new byte[0];
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target + recorded.path("uri").asText()))
                .timeout(Duration.ofMinutes(5))
                .method(recorded.path("method").asText(), body.length == 0 && !hasBody(recorded)
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        boolean hasRequestId = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = recorded.path("headers").properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (NOT_SENT.contains(name)) {
                continue;
            }
            for (JsonNode value : header.getValue()) {
                if (!RequestRecorder.REDACTED.equals(value.asText())) {
                    builder.header(header.getKey(), value.asText());
                    hasRequestId |= name.equals("x-request-id");
                }
            }
        }
        if (!hasRequestId && recorded.hasNonNull("requestId")) {
            builder.header("X-Request-Id", recorded.get("requestId").asText());
        }
        extra.forEach(h -> builder.header(h[0], h[1]));
        return builder.build();
    }

    private static boolean hasBody(JsonNode recorded) {
        JsonNode headers = recorded.path("headers");
        return headers.has("content-length") || headers.has("transfer-encoding");
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
