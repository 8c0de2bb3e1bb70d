package io.conduit.operator.gateway;

import io.conduit.config.ConfigJson;
import io.conduit.config.GatewayCredentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A short hash of the credentials, stamped on the pod template: new credentials, new pods. */
final class CredentialsHash {
    private CredentialsHash() {
    }

    static String of(GatewayCredentials credentials) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(ConfigJson.write(credentials.entries()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
