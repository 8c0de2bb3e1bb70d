package io.conduit.testsupport;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * How to make a server kind's container. Gets the host port up front because some servers (Kafka) must
 * advertise it; {@link ContainerServer} adds the port binding itself.
 */
interface ContainerRecipe {

    String image();

    int containerPort();

    GenericContainer<?> create(int hostPort);

    /** A plain image with a command line, enough for servers that need not know their host port (Redis). */
    static ContainerRecipe of(String image, int containerPort, String... command) {
        return new ContainerRecipe() {
            @Override
            public String image() {
                return image;
            }

            @Override
            public int containerPort() {
                return containerPort;
            }

            @Override
            public GenericContainer<?> create(int hostPort) {
                GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image));
                return command.length == 0 ? container : container.withCommand(command.clone());
            }
        };
    }
}
