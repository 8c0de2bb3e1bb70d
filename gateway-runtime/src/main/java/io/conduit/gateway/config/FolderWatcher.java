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
        register(dir);
        this.thread = Thread.ofPlatform().daemon().name("conduit-config-watch").start(() -> loop(dir, onChange));
    }

    private void register(Path dir) throws IOException {
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
    }

    private void loop(Path dir, Runnable onChange) {
        try {
            while (true) {
                WatchKey key = watcher.take();
                key.pollEvents();
                boolean stillWatched = key.reset();
                // Collapse a burst of events into one reload.
                WatchKey more;
                while ((more = watcher.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    more.pollEvents();
                    stillWatched &= more.reset();
                }
                if (!stillWatched) {
                    // The folder itself was removed or replaced: watch the new one once it exists.
                    reregister(dir);
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

    private void reregister(Path dir) throws InterruptedException {
        while (true) {
            try {
                register(dir);
                LOG.info("watching {} again", dir);
                return;
            } catch (IOException notThereYet) {
                Thread.sleep(1000);
            }
        }
    }

    @Override
    public void close() throws IOException {
        watcher.close();
        thread.interrupt();
    }
}
