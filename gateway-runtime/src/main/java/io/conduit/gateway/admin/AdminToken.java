package io.conduit.gateway.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The admin token of a gateway started without one: random, written to a file in a new folder only the
 * user can enter, so pushing a config needs what only this user can read, never a browser page.
 */
public record AdminToken(String value, Path file) {

    public static AdminToken generate() throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String value = HexFormat.of().formatHex(random);
        Path folder;
        Path file;
        try {
            folder = Files.createTempDirectory("conduit-admin-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            file = Files.createFile(folder.resolve("token"), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            folder = Files.createTempDirectory("conduit-admin-");
            file = Files.createFile(folder.resolve("token"));
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
        }
        Files.writeString(file, value + "\n");
        return new AdminToken(value, file);
    }

    /** Removes the file and its folder: the token dies with the process that checks it. */
    public void delete() {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (IOException ignored) {
            // Left in the temp folder, readable only by its user; nothing accepts it any more.
        }
    }
}
