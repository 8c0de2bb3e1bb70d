package io.conduit.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutablesTest {

    @TempDir
    Path dir;

    @Test
    void findsAnExecutableOnPath() throws Exception {
        Path program = Files.writeString(dir.resolve("conduit-fake-server"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(Executables.find("conduit-fake-server", Env.of(Map.of("PATH", "/nonexistent:" + dir)))).contains(program);
    }

    @Test
    void ignoresFilesThatAreNotExecutable() throws Exception {
        Files.writeString(dir.resolve("conduit-fake-server"), "#!/bin/sh\n");

        assertThat(Executables.find("conduit-fake-server", Env.of(Map.of("PATH", dir.toString())))).isEmpty();
    }

    @Test
    void missingIsEmptyAndTheMessageSaysWhereItLooked() {
        assertThat(Executables.find("conduit-no-such-program", Env.of(Map.of()))).isEmpty();
        assertThat(Executables.searched()).contains("PATH", "/usr/bin");
    }

    @Test
    void missingBinaryIsAMissForTheLocator() {
        Attempt attempt = new LocalBinaryLocator("fake", "conduit-no-such-program", (binary, port, workDir) -> List.of(),
                RedisServer::uri, Env.of(Map.of())).locate();

        assertThat(attempt).isInstanceOf(Attempt.Missed.class);
        assertThat(((Attempt.Missed) attempt).reason()).contains("conduit-no-such-program is not installed");
    }
}
