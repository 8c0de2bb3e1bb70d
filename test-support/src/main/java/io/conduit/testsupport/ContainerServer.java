package io.conduit.testsupport;

import java.net.URI;
import java.util.List;
import java.util.function.BiFunction;
import org.testcontainers.containers.GenericContainer;

/**
 * A server in a Testcontainers container, bound to a fixed host port so that, like {@link LocalBinaryServer},
 * it can be stopped and started again at the same address (a new container; state is not kept).
 */
final class ContainerServer implements TestServer {

    private final String name;
    private final ContainerRecipe recipe;
    private final int hostPort;
    private final BiFunction<String, Integer, URI> uriFor;
    private GenericContainer<?> container;
    private String host;

    private ContainerServer(String name, ContainerRecipe recipe, int hostPort, BiFunction<String, Integer, URI> uriFor) {
        this.name = name;
        this.recipe = recipe;
        this.hostPort = hostPort;
        this.uriFor = uriFor;
        ShutdownCleanup.register(this); // Testcontainers' reaper would do it too, unless it is disabled
    }

    static ContainerServer start(String name, ContainerRecipe recipe, int hostPort, BiFunction<String, Integer, URI> uriFor) {
        ContainerServer server = new ContainerServer(name, recipe, hostPort, uriFor);
        try {
            server.start();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Origin origin() {
        return Origin.CONTAINER;
    }

    @Override
    public URI uri() {
        return uriFor.apply(host(), hostPort);
    }

    @Override
    public synchronized String host() {
        return host;
    }

    @Override
    public int port() {
        return hostPort;
    }

    @Override
    public boolean restartable() {
        return true;
    }

    @Override
    public synchronized boolean running() {
        return container != null && container.isRunning();
    }

    @Override
    public synchronized void start() {
        if (running()) {
            return;
        }
        GenericContainer<?> created = recipe.create(hostPort).withExposedPorts(recipe.containerPort());
        created.setPortBindings(List.of(hostPort + ":" + recipe.containerPort()));
        created.start(); // waits until the port answers
        container = created;
        host = created.getHost();
    }

    @Override
    public synchronized void stop() {
        if (container != null) {
            container.stop();
            container = null;
        }
    }

    @Override
    public void close() {
        stop();
        ShutdownCleanup.unregister(this);
    }

    @Override
    public String toString() {
        return name + " (container " + recipe.image() + ") at port " + hostPort;
    }
}
