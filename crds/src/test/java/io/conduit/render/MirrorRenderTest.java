package io.conduit.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.config.BlobBackendConfig;
import org.junit.jupiter.api.Test;

/** {@code mirrorRefs} on a BlobBackend: mirrors travel into the config with the backend; bad names refuse it. */
class MirrorRenderTest {
    private static final String RULE = """
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: upload, namespace: shop}
            spec:
              when: {http: {method: POST, path: /files/**}}
              send:
                blob: {backendRef: {name: files}}
            """;

    private static String files(String mirrors) {
        return """
                apiVersion: conduit.io/v1alpha1
                kind: BlobBackend
                metadata: {name: files, namespace: shop}
                spec:
                  type: local
                  local: {path: /data/blobs}
                  mirrorRefs: %s
                ---
                apiVersion: conduit.io/v1alpha1
                kind: BlobBackend
                metadata: {name: archive, namespace: shop}
                spec:
                  type: local
                  local: {path: /data/archive}
                """.formatted(mirrors);
    }

    private final GatewayRenderer renderer = new GatewayRenderer();

    private RenderResult standalone(String... yamls) {
        return renderer.renderStandalone(Resources.parse(yamls), null);
    }

    @Test
    void aMirrorNoRuleUsesComesIntoTheConfigWithItsBackend() {
        RenderResult result = standalone(files("[{name: archive}]"), RULE);

        assertThat(result.problems()).isEmpty();
        assertThat(result.config().blobBackends()).extracting(BlobBackendConfig::name).containsExactly("archive", "files");
        assertThat(result.config().blobBackend("files").orElseThrow().mirrors()).containsExactly("archive");
    }

    @Test
    void anUnknownMirrorRefusesTheBackendAndTheRulesUsingIt() {
        RenderResult result = standalone(files("[{name: nowhere}]"), RULE);

        assertThat(result.problems()).anySatisfy(p -> {
            assertThat(p.reason()).isEqualTo(Problem.BACKEND_NOT_FOUND);
            assertThat(p.message()).contains("mirror BlobBackend nowhere");
        });
        assertThat(result.config().routes()).isEmpty();
        assertThat(result.config().blobBackends()).isEmpty();
    }

    @Test
    void aBackendCannotMirrorItself() {
        RenderResult result = standalone(files("[{name: files}]"), RULE);

        assertThat(result.problems()).anySatisfy(p -> assertThat(p.message()).contains("cannot name the backend itself"));
        assertThat(result.config().routes()).isEmpty();
    }

    @Test
    void moreThanSixteenMirrorsAreRefusedAsTheCrdRefusesThem() {
        String seventeen = java.util.stream.IntStream.rangeClosed(1, 17).mapToObj(i -> "{name: m" + i + "}")
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        RenderResult result = standalone(files(seventeen), RULE);

        assertThat(result.problems()).anySatisfy(p -> assertThat(p.message()).contains("at most 16"));
        assertThat(result.config().routes()).isEmpty();
    }
}
