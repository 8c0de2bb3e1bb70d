package io.conduit.operator;

/** Settings of the operator process, from its environment. */
public record OperatorSettings(String gatewayImage) {
    public static final String DEFAULT_GATEWAY_IMAGE = "conduit/gateway:0.1.0-SNAPSHOT";

    public static OperatorSettings fromEnvironment() {
        String image = System.getenv("CONDUIT_GATEWAY_IMAGE");
        return new OperatorSettings(image == null || image.isBlank() ? DEFAULT_GATEWAY_IMAGE : image);
    }
}
