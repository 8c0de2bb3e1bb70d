package io.conduit.testsupport;

import java.net.URI;
import java.util.Optional;
import java.util.function.BiFunction;

/** Last resort: a Testcontainers container, tried only when Docker is reachable. */
final class ContainerLocator implements Locator {

    private final String name;
    private final ContainerRecipe recipe;
    private final BiFunction<String, Integer, URI> uriFor;
    private final Env env;

    ContainerLocator(String name, ContainerRecipe recipe, BiFunction<String, Integer, URI> uriFor, Env env) {
        this.name = name;
        this.recipe = recipe;
        this.uriFor = uriFor;
        this.env = env;
    }

    @Override
    public Attempt locate() {
        Optional<String> why = DockerProbe.whyUnreachable(env);
        if (why.isPresent()) {
            return new Attempt.Missed("Testcontainers: " + why.get());
        }
        try {
            return new Attempt.Found(ContainerServer.start(name, recipe, FreePort.find(), uriFor));
        } catch (RuntimeException e) {
            return new Attempt.Missed("Testcontainers could not start " + recipe.image() + ": " + e.getMessage());
        }
    }
}
