package io.conduit.gateway.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls back when files in a folder change, after a short quiet period so an editor's
 * write-rename-delete dance triggers one reload. Also notices Kubernetes' atomic ConfigMap updates,
 * which swap a {@code ..data} symlink inside the folder.
 */
public final class FolderWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FolderWatcher.class);
    private static final long QUIET_MILLIS = 200;

    private final WatchService watcher;
    private final Thread thread;

    public FolderWatcher(Path dir, Runnable onChange) throws IOException {
        this.watcher = FileSystems.getDefault().newWatchService();
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = Thread.ofPlatform().daemon().name("conduit-config-watch").start(() -> loop(onChange));
    }

    private void loop(Runnable onChange) {
        try {
            while (true) {
                WatchKey key = watcher.take();
                key.pollEvents();
                key.reset();
                // Collapse a burst of events into one reload.
                WatchKey more;
                while ((more = watcher.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    more.pollEvents();
                    more.reset();
                }
                try {
                    onChange.run();
                } catch (RuntimeException e) {
                    LOG.error("config reload failed", e);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // Closed: stop watching.
        }
    }

    @Override
    public void close() throws IOException {
        watcher.close();
        thread.interrupt();
    }
}
