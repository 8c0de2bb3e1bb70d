package io.conduit.operator.gateway;

import io.conduit.config.ConfigJson;
import io.conduit.config.GatewayCredentials;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A short fingerprint of the credentials, stamped on the pod template: new credentials, new pods.
 * Keyed (HMAC-SHA256 under the gateway's admin token): the annotation is readable by anyone who may
 * read Deployments, and a plain hash of a short password could be guessed offline.
 */
final class CredentialsHash {
    private CredentialsHash() {
    }

    static String of(GatewayCredentials credentials, String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(ConfigJson.write(credentials.entries()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
