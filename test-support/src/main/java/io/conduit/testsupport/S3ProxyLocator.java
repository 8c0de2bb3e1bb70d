package io.conduit.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * Second choice for S3: s3proxy (Maven Central, {@code org.gaul:s3proxy}) run from the jar the build copied,
 * as its own JVM on a free loopback port, storing objects in its temp dir (filesystem backend). A process rather
 * than in-JVM, so its large dependency tree never meets the classpath of the code under test.
 */
final class S3ProxyLocator implements Locator {

    static final String PROPERTIES = "s3proxy.properties";
    private static final int TRIES = 3;

    @Override
    public Attempt locate() {
        Path jar = jar();
        if (jar == null || !Files.isRegularFile(jar)) {
            return new Attempt.Missed("the s3proxy jar is not there (" + jar + "); build test-support with Maven to fetch it");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String lastError = "";
        for (int i = 0; i < TRIES; i++) {
            int port = FreePort.find();
            Path workDir = null;
            try {
                workDir = Files.createTempDirectory("conduit-s3proxy-");
                List<String> command = command(java, jar, port, workDir);
                URI uri = Endpoint.uri("http", LocalBinaryServer.HOST, port);
                return new Attempt.Found(LocalBinaryServer.start(S3Server.NAME, command, workDir, port, uri));
            } catch (IOException | RuntimeException e) {
                lastError = e.getMessage();
                if (workDir != null) {
                    LocalBinaryServer.deleteRecursively(workDir);
                }
            }
        }
        return new Attempt.Missed("s3proxy did not start (" + TRIES + " tries): " + lastError);
    }

    /** Writes s3proxy's config (loopback, V2/V4 auth with the test keys, objects under {@code workDir/data}). */
    static List<String> command(Path java, Path jar, int port, Path workDir) throws IOException {
        Path data = Files.createDirectories(workDir.resolve("data"));
        Properties p = new Properties();
        p.setProperty("s3proxy.endpoint", "http://" + LocalBinaryServer.HOST + ":" + port);
        p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        p.setProperty("s3proxy.identity", S3Server.LOCAL_ACCESS_KEY);
        p.setProperty("s3proxy.credential", S3Server.LOCAL_SECRET_KEY);
        p.setProperty("jclouds.provider", "filesystem");
        p.setProperty("jclouds.identity", S3Server.LOCAL_ACCESS_KEY);
        p.setProperty("jclouds.credential", S3Server.LOCAL_SECRET_KEY);
        p.setProperty("jclouds.filesystem.basedir", data.toString());
        Path config = workDir.resolve("s3proxy.conf");
        try (var out = Files.newOutputStream(config)) {
            p.store(out, "conduit test s3proxy");
        }
        return List.of(java.toString(), "-Xmx256m", "-jar", jar.toString(), "--properties", config.toString());
    }

    private static Path jar() {
        try (InputStream in = S3ProxyLocator.class.getResourceAsStream(PROPERTIES)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            String jar = p.getProperty("jar");
            return jar == null || jar.contains("${") ? null : Path.of(jar);
        } catch (IOException e) {
            return null;
        }
    }
}
