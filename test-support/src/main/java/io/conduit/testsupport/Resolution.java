package io.conduit.testsupport;

import java.util.function.Function;
import org.opentest4j.TestAbortedException;

/** The outcome of looking for a server: use it, skip the test, or fail it. Kept as a value so it can be cached per JVM. */
public sealed interface Resolution<S> {

    record Ready<S>(S server) implements Resolution<S> {
    }

    record Skip<S>(String reason) implements Resolution<S> {
    }

    record Fail<S>(String message) implements Resolution<S> {
    }

    /** The server, or a skip ({@link TestAbortedException}, what JUnit assumptions throw) or a failure. */
    default S get() {
        return switch (this) {
            case Ready<S> ready -> ready.server();
            case Skip<S> skip -> throw new TestAbortedException(skip.reason());
            case Fail<S> fail -> throw new ServerUnavailableException(fail.message());
        };
    }

    default <T> Resolution<T> map(Function<? super S, ? extends T> f) {
        return switch (this) {
            case Ready<S> ready -> new Ready<>(f.apply(ready.server()));
            case Skip<S> skip -> new Skip<>(skip.reason());
            case Fail<S> fail -> new Fail<>(fail.message());
        };
    }
}
