package io.conduit.operator.provision;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.BlobBackendSpec;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.QueueBackendSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts of {@code provision} the operator does not act on yet. A declared field must work or be refused: each
 * is named in the False condition {@value #CONDITION} (reason {@value #REASON}); the steps that are built still run.
 */
final class NotBuilt {
    static final String CONDITION = "ProvisioningSupported";
    static final String REASON = "NotImplemented";

    private NotBuilt() {
    }

    static Optional<Step> of(BlobBackend backend) {
        BlobBackendSpec spec = backend.getSpec();
        BlobBackendSpec.Provision p = spec == null || spec.s3() == null ? null : spec.s3().provision();
        if (p == null) {
            return Optional.empty();
        }
        List<String> fields = new ArrayList<>();
        add(fields, p.createBucket() != null, "createBucket");
        add(fields, p.policy() != null, "policy");
        add(fields, p.lifecycle() != null, "lifecycle");
        add(fields, p.cors() != null, "cors");
        add(fields, p.deletionPolicy() != null, "deletionPolicy");
        return refuse("s3.provision", fields, "create the bucket and its policy yourself; the gateway uses credentialsSecretRef as given");
    }

    static Optional<Step> of(QueueBackend backend) {
        QueueBackendSpec spec = backend.getSpec();
        QueueBackendSpec.KafkaProvision p = spec == null || spec.kafka() == null ? null : spec.kafka().provision();
        if (p == null) {
            return Optional.empty();
        }
        List<String> fields = new ArrayList<>();
        add(fields, p.topics() != null && !p.topics().isEmpty(), "topics");
        add(fields, Boolean.TRUE.equals(p.users()), "users");
        return refuse("kafka.provision", fields, "create the topics, SCRAM users and ACLs yourself; the gateway uses credentialsSecretRef as given");
    }

    private static void add(List<String> fields, boolean declared, String name) {
        if (declared) {
            fields.add(name);
        }
    }

    private static Optional<Step> refuse(String where, List<String> fields, String meanwhile) {
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Step.failed(CONDITION, REASON, where + "." + String.join(", " + where + ".", fields)
                + (fields.size() == 1 ? " is" : " are") + " not built yet and nothing was done for "
                + (fields.size() == 1 ? "it" : "them") + ": " + meanwhile));
    }
}
