package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON Schemas published in docs/schemas are valid 2020-12 schemas, and the gateway's real answers
 * (upload, enqueue, errors) and the files it leaves in a spool (message and follow-up envelope) match
 * them, with no field the schema does not declare.
 */
class PublishedSchemasIT {
    static final Path SCHEMAS = Path.of("..", "docs", "schemas");
    static final String BASE = "https://conduit.io/schemas/";
    static final String RULES = """
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: upload}
            spec:
              when: {http: {method: POST, path: /upload}}
              send: {blob: {backendRef: {name: blobs}, computeHash: true}}
              onComplete:
                enqueue:
                  backendRef: {name: queues}
                  to: agents/FileProcessor/inbox
                  envelope: {type: file_uploaded, payload: {blobRef: $blobRef}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: work-orders}
            spec:
              when: {http: {method: POST, path: /work-orders, contentType: application/json}}
              send:
                queue: {backendRef: {name: queues}, queue: work-orders, message: $body, options: {priority: 2}}
                respond: {http: {status: 202, body: {accepted: true, queueRef: $queueRef}}}
            """;

    static Vertx vertx;
    static SchemaRepository repository;

    @TempDir
    Path root;

    @BeforeAll
    static void loadSchemas() throws Exception {
        vertx = Vertx.vertx();
        repository = SchemaRepository.create(new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(BASE)
                .setOutputFormat(OutputFormat.Basic)).preloadMetaSchema(vertx.fileSystem());
        for (Path file : schemaFiles()) {
            repository.dereference(JsonSchema.of(new JsonObject(Files.readString(file))));
        }
    }

    @AfterAll
    static void stopVertx() {
        vertx.close();
    }

    static List<Path> schemaFiles() throws Exception {
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".schema.json")).sorted().toList();
        }
    }

    static OutputUnit validate(String schema, JsonNode instance) {
        return repository.validator(BASE + schema).validate(new JsonObject(instance.toString()));
    }

    static void assertValid(String schema, JsonNode instance) {
        OutputUnit result = validate(schema, instance);
        assertThat(result.getValid()).as("%s against %s: %s", instance, schema, result.getErrors()).isTrue();
    }

    /** Every field the gateway sends is one the schema documents (the schemas let consumers ignore new ones, the docs must not). */
    static void assertDeclared(String schema, JsonNode instance) throws Exception {
        assertDeclared(schema, "/properties", instance);
    }

    static void assertDeclared(String schema, String propertiesPointer, JsonNode instance) throws Exception {
        JsonNode properties = GatewayHarness.json(Files.readString(SCHEMAS.resolve(schema))).at(propertiesPointer);
        List<String> undeclared = new ArrayList<>();
        instance.fieldNames().forEachRemaining(name -> {
            if (!properties.has(name)) {
                undeclared.add(name);
            }
        });
        assertThat(undeclared).as("fields of %s missing from %s", instance, schema).isEmpty();
    }

    @Test
    void everyPublishedSchemaIsAValid202012Schema() throws Exception {
        assertThat(schemaFiles()).extracting(f -> f.getFileName().toString()).contains("blob-ref.schema.json",
                "queue-ref.schema.json", "envelope.schema.json", "error.schema.json", "spool-message.schema.json");
        for (Path file : schemaFiles()) {
            OutputUnit result = repository.validator("https://json-schema.org/draft/2020-12/schema")
                    .validate(new JsonObject(Files.readString(file)));
            assertThat(result.getValid()).as("%s: %s", file, result.getErrors()).isTrue();
            assertThat(new JsonObject(Files.readString(file)).getString("$id")).isEqualTo(BASE + file.getFileName());
        }
    }

    @Test
    void theGatewaysAnswersAndSpoolFilesMatchTheSchemas() throws Exception {
        try (GatewayHarness gw = GatewayHarness.start(root, RULES)) {
            HttpResponse<String> upload = gw.post("/upload", "text/plain", "hello schemas".getBytes());
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
            JsonNode blobRef = GatewayHarness.json(upload).get("blobRef");
            assertValid("blob-ref.schema.json", blobRef);
            assertDeclared("blob-ref.schema.json", blobRef);

            HttpResponse<String> form = gw.send(HttpRequest.newBuilder(gw.uri("/upload"))
                    .header("Content-Type", "multipart/form-data; boundary=b0und")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            --b0und\r
                            Content-Disposition: form-data; name="a"; filename="a.txt"\r
                            Content-Type: text/plain\r
                            \r
                            first\r
                            --b0und\r
                            Content-Disposition: form-data; name="b"; filename="b.bin"\r
                            \r
                            second\r
                            --b0und--\r
                            """)).build());
            assertThat(form.statusCode()).as(form.body()).isEqualTo(201);
            JsonNode blobRefs = GatewayHarness.json(form).get("blobRefs");
            assertThat(blobRefs).hasSize(2);
            for (JsonNode ref : blobRefs) {
                assertValid("blob-ref.schema.json", ref);
                assertDeclared("blob-ref.schema.json", ref);
            }

            HttpResponse<String> order = gw.post("/work-orders", "application/json", "{\"title\":\"dark mode\"}".getBytes());
            assertThat(order.statusCode()).as(order.body()).isEqualTo(202);
            JsonNode queueRef = GatewayHarness.json(order).get("queueRef");
            assertValid("queue-ref.schema.json", queueRef);
            assertDeclared("queue-ref.schema.json", queueRef);

            for (HttpResponse<String> error : List.of(gw.get("/nowhere"),
                    gw.post("/work-orders", "application/json", "{not json".getBytes()),
                    gw.post("/work-orders", "text/plain", "x".getBytes()),
                    gw.post("/upload", "application/octet-stream", new byte[2 * 1024 * 1024]))) {
                assertThat(error.statusCode()).isBetween(400, 599);
                JsonNode body = GatewayHarness.json(error);
                assertValid("error.schema.json", body);
                assertDeclared("error.schema.json", body);
                assertDeclared("error.schema.json", "/properties/error/properties", body.get("error"));
            }
            // The example docs/gateway.md shows, to the letter.
            assertThat(GatewayHarness.json(gw.post("/upload", "application/octet-stream", new byte[2 * 1024 * 1024]))
                    .at("/error/message").asText()).isEqualTo("Content-Length 2097152 exceeds the limit of 1048576 bytes");

            Path inbox = gw.queues.resolve("agents%2FFileProcessor%2Finbox/new");
            List<String> envelopes = GatewayHarness.files(inbox);
            assertThat(envelopes).hasSize(2);
            for (String file : envelopes) {
                JsonNode spooled = GatewayHarness.json(Files.readString(inbox.resolve(file)));
                assertValid("spool-message.schema.json", spooled);
                assertDeclared("spool-message.schema.json", spooled);
                assertValid("envelope.schema.json", spooled.get("message"));
            }
            Path orders = gw.queues.resolve("work-orders/new");
            JsonNode work = GatewayHarness.json(Files.readString(orders.resolve(GatewayHarness.files(orders).getFirst())));
            assertValid("spool-message.schema.json", work);
            assertDeclared("spool-message.schema.json", work);
        }
    }

    @Test
    void s3BlobRefsMatchTheSchemaToo() throws Exception {
        try (S3Fixture s3 = new S3Fixture(io.conduit.testsupport.TestServers.s3());
             GatewayHarness gw = GatewayHarness.start(root, s3.backend("store", "presign: {ttl: 5m}", "prefix: uploads")
                     + s3.backend("cas", "contentAddressed: true") + """
                     apiVersion: conduit.io/v1alpha1
                     kind: RouteRule
                     metadata: {name: upload}
                     spec:
                       when: {http: {method: POST, path: /upload}}
                       send: {blob: {backendRef: {name: store}}}
                     ---
                     apiVersion: conduit.io/v1alpha1
                     kind: RouteRule
                     metadata: {name: dedup}
                     spec:
                       when: {http: {method: POST, path: /cas}}
                       send: {blob: {backendRef: {name: cas}}}
                     """)) {
            for (String path : List.of("/upload", "/cas")) {
                HttpResponse<String> upload = gw.send(HttpRequest.newBuilder(gw.uri(path))
                        .header("Content-Type", "application/pdf").header("Content-Disposition", "attachment; filename=\"r.pdf\"")
                        .POST(HttpRequest.BodyPublishers.ofString("%PDF-1.7 schemas")).build());
                assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
                JsonNode blobRef = GatewayHarness.json(upload).get("blobRef");
                assertThat(blobRef.get("backend").asText()).isEqualTo("s3");
                assertValid("blob-ref.schema.json", blobRef);
                assertDeclared("blob-ref.schema.json", blobRef);
            }
        }
    }

    @Test
    void theSchemasRefuseWhatAConsumerCouldNotUse() throws Exception {
        JsonNode good = GatewayHarness.json("""
                {"blobId": "1760832000000-9f86d081e3", "backend": "s3", "backendName": "uploads", "bucket": "b",
                 "key": "k", "size": 3}""");
        assertValid("blob-ref.schema.json", good);
        assertThat(validate("blob-ref.schema.json", GatewayHarness.json("""
                {"blobId": "x/../y", "backend": "s3", "backendName": "uploads", "bucket": "b", "key": "k", "size": 3}"""))
                .getValid()).isFalse();
        assertThat(validate("blob-ref.schema.json", GatewayHarness.json("""
                {"blobId": "1760832000000-9f86d081e3", "backend": "s3", "backendName": "uploads", "size": "3"}"""))
                .getValid()).isFalse();
        assertThat(validate("envelope.schema.json", GatewayHarness.json("""
                {"type": "file_uploaded", "payload": {"blobRef": {"blobId": "1760832000000-9f86d081e3"}}}"""))
                .getValid()).as("a blobRef in an envelope is checked as a blobRef").isFalse();
        assertThat(validate("error.schema.json", GatewayHarness.json("{\"error\": \"boom\"}")).getValid()).isFalse();
    }
}
