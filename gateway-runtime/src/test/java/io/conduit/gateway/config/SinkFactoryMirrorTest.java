package io.conduit.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conduit.api.v1alpha1.BlobBackendSpec;
import io.conduit.config.BlobBackendConfig;
import io.conduit.config.GatewayConfig;
import io.conduit.config.GatewayCredentials;
import io.conduit.gateway.blob.mirror.MirroredBlobSink;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rendered config pushed to the gateway is checked again: its mirrors must name other backends it has. */
class SinkFactoryMirrorTest {
    @TempDir
    Path dir;
    final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private BlobBackendConfig local(String name, List<String> mirrors) {
        return new BlobBackendConfig(name, BlobBackendSpec.Type.LOCAL, new BlobBackendConfig.Local(dir.resolve(name).toString()),
                null, null, true, Long.MAX_VALUE, null, false, mirrors);
    }

    private LiveConfig build(BlobBackendConfig... backends) throws Exception {
        GatewayConfig config = new GatewayConfig("r1", "gw", List.of(backends), List.of(), List.of(), null);
        return new SinkFactory(vertx).build(config, GatewayCredentials.NONE, null, Map.of(), Map.of());
    }

    @Test
    void unknownAndSelfMirrorsRefuseTheWholeConfig() {
        assertThatThrownBy(() -> build(local("files", List.of("nowhere"))))
                .isInstanceOfSatisfying(SinkFactory.InvalidConfigException.class, e -> assertThat(e.problems())
                        .singleElement().satisfies(p -> {
                            assertThat(p.reason()).isEqualTo("BackendNotFound");
                            assertThat(p.message()).contains("nowhere");
                        }));
        assertThatThrownBy(() -> build(local("files", List.of("files"))))
                .isInstanceOfSatisfying(SinkFactory.InvalidConfigException.class, e -> assertThat(e.problems())
                        .singleElement().satisfies(p -> assertThat(p.message()).contains("cannot mirror itself")));
    }

    @Test
    void aBackendWithMirrorsKeepsItsSpoolBesideItsLocalBlobs() throws Exception {
        LiveConfig live = build(local("files", List.of("archive")), local("archive", List.of()));

        assertThat(live.blobSink("files")).get().isInstanceOf(MirroredBlobSink.class);
        assertThat(live.blobSink("archive")).get().isNotInstanceOf(MirroredBlobSink.class);
        assertThat(Files.isDirectory(dir.resolve("files").resolve(".mirror-spool"))).isTrue();
        live.blobSink("files").get().close();
    }
}
