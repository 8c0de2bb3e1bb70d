package io.conduit.gateway.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes that survive a crash: bytes forced to disk before a file is published, and the folder after. */
public final class DurableFiles {
    private DurableFiles() {
    }

    /** Creates {@code file} (it must not exist) holding {@code bytes}, forced to disk. */
    public static void writeNew(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
    }

    /** Forces a folder's entries to disk, so a rename or link into it survives a crash. */
    public static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some filesystems cannot open folders; the rename or link is still atomic there.
        }
    }
}
