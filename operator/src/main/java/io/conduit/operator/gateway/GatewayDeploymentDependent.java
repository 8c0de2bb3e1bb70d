package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/**
 * The gateway pods: replicas from the EdgeGateway (so {@code kubectl scale} and HPAs work through its
 * scale subresource), the config and credentials mounted, no Kubernetes credentials in the pod, and
 * the credentials' hash on the pod template so a rotated Secret rolls the pods. Hardened to the
 * {@code restricted} Pod Security Standard ({@link GatewayPodSecurity}).
 */
@KubernetesDependent(useSSA = BooleanWithUndefined.FALSE)
public class GatewayDeploymentDependent extends CRUDKubernetesDependentResource<Deployment, EdgeGateway> {
    static final int TRAFFIC_PORT = 8080;
    static final int ADMIN_PORT = 9901;

    private final OperatorSettings settings;

    public GatewayDeploymentDependent() {
        super(Deployment.class);
        this.settings = OperatorSettings.fromEnvironment();
    }

    @Override
    protected Deployment desired(EdgeGateway gateway, Context<EdgeGateway> context) {
        var rendering = GatewayRendering.of(gateway, context);
        var spec = gateway.getSpec();
        int replicas = spec == null || spec.replicas() == null ? 1 : spec.replicas();
        String image = spec != null && spec.image() != null ? spec.image() : settings.gatewayImage();
        String credentialsHash = CredentialsHash.of(rendering.credentials(), AdminTokens.of(context));
        List<GatewayPodSecurity.Writable> writable = GatewayPodSecurity.writable(rendering.config());
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(GatewayNames.workload(gateway))
                .withNamespace(gateway.getMetadata().getNamespace())
                .withLabels(GatewayNames.labels(gateway))
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector().withMatchLabels(GatewayNames.selector(gateway)).endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(GatewayNames.labels(gateway))
                .addToAnnotations("conduit.io/credentials-hash", credentialsHash)
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName(GatewayNames.workload(gateway))
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(GatewayPodSecurity.pod())
                .addNewContainer()
                .withName("gateway")
                .withImage(image)
                .withWorkingDir(GatewayPodSecurity.WORK_DIR)
                .withSecurityContext(GatewayPodSecurity.container())
                .withArgs("--gateway-config", "/etc/conduit/config/" + GatewayNames.CONFIG_KEY,
                        "--credentials", "/etc/conduit/credentials/" + GatewayNames.CREDENTIALS_KEY,
                        "--port", String.valueOf(TRAFFIC_PORT),
                        "--admin-port", String.valueOf(ADMIN_PORT), "--admin-host", "0.0.0.0")
                .addNewEnv().withName("CONDUIT_ADMIN_TOKEN").withNewValueFrom().withNewSecretKeyRef()
                .withName(AdminTokens.name(gateway)).withKey(AdminTokens.KEY).endSecretKeyRef().endValueFrom().endEnv()
                .addNewPort().withName("http").withContainerPort(TRAFFIC_PORT).endPort()
                .addNewPort().withName("admin").withContainerPort(ADMIN_PORT).endPort()
                .withNewReadinessProbe().withNewHttpGet().withPath("/readyz").withPort(new IntOrString("http"))
                .endHttpGet().endReadinessProbe()
                .withNewLivenessProbe().withNewHttpGet().withPath("/healthz").withPort(new IntOrString("http"))
                .endHttpGet().endLivenessProbe()
                .withResources(GatewayPodSecurity.resources(spec == null ? null : spec.resources()))
                .addNewVolumeMount().withName("config").withMountPath("/etc/conduit/config").withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("credentials").withMountPath("/etc/conduit/credentials").withReadOnly(true)
                .endVolumeMount()
                .addAllToVolumeMounts(writable.stream().map(GatewayPodSecurity.Writable::mount).toList())
                .endContainer()
                .addNewVolume().withName("config").withNewConfigMap().withName(GatewayNames.config(gateway)).endConfigMap()
                .endVolume()
                .addNewVolume().withName("credentials").withNewSecret().withSecretName(GatewayNames.credentials(gateway))
                .endSecret().endVolume()
                .addAllToVolumes(writable.stream().map(GatewayPodSecurity.Writable::volume).toList())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
