package io.conduit.operator.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.QueueBackendSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;

/** A password stays until a rotation is asked for; then a new one, with the old one's hash kept for the roll. */
class StoredIdentityTest {
    static QueueBackend backend() {
        QueueBackend backend = new QueueBackend();
        backend.setMetadata(new ObjectMetaBuilder().withName("jobs").withNamespace("shop").withUid("u1").build());
        return backend;
    }

    @Test
    void aWrittenSecretIsReadBackAsTheSamePasswordForEveryLayout() {
        StoredIdentity first = StoredIdentity.resolve(null, StoredIdentity.PASSWORD, "");
        Secret consumer = ProvisionSecrets.redisConsumer(backend(), "jobs-worker", RedisConnectionUrl.of("redis://r:6379", false),
                "u", first, "bull", QueueBackendSpec.RedisMode.BULLMQ);
        assertThat(StoredIdentity.resolve(consumer, ProvisionSecrets.REDIS_PASSWORD, "").password()).isEqualTo(first.password());
    }

    @Test
    void aNewRotationValueMakesANewPasswordAndKeepsTheOldOnesHash() {
        StoredIdentity first = StoredIdentity.resolve(null, StoredIdentity.PASSWORD, "");
        Secret consumer = ProvisionSecrets.redisConsumer(backend(), "jobs-worker", RedisConnectionUrl.of("redis://r:6379/2", false),
                "u", first, "bull", QueueBackendSpec.RedisMode.BULLMQ);
        StoredIdentity rotated = StoredIdentity.resolve(consumer, ProvisionSecrets.REDIS_PASSWORD, "1");

        assertThat(rotated.password()).isNotEqualTo(first.password());
        assertThat(rotated.acceptedSha256s()).containsExactly(Passwords.sha256(rotated.password()), Passwords.sha256(first.password()));
        assertThat(rotated.toString()).doesNotContain(rotated.password());
    }
}
