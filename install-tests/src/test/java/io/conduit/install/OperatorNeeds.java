package io.conduit.install;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.operator.gateway.EdgeGatewayReconciler;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator's RBAC must grant, derived from the operator itself: every dependent its EdgeGateway
 * workflow manages, the pods (and their ReplicaSets) it watches for config pushes, the Conduit kinds it reads
 * and whose status it writes, and Events it records. These are the least verbs each needs; that the role
 * grants exactly the verbs the operator uses, no more, is measured by the operator's RbacMockTest.
 */
final class OperatorNeeds {
    static final List<String> MANAGE = List.of("list", "watch", "create");
    static final List<String> READ = List.of("list", "watch");

    record Need(String group, String resource, List<String> verbs) {
        boolean grantedBy(List<PolicyRule> rules) {
            return rules.stream().anyMatch(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource)
                    && r.getVerbs().containsAll(verbs));
        }
    }

    private OperatorNeeds() {
    }

    static List<Need> all() {
        List<Need> needs = new ArrayList<>();
        Workflow workflow = EdgeGatewayReconciler.class.getAnnotation(Workflow.class);
        for (Dependent dependent : workflow.dependents()) {
            Class<?> type = (Class<?>) ((ParameterizedType) dependent.type().getGenericSuperclass()).getActualTypeArguments()[0];
            needs.add(need(type.asSubclass(HasMetadata.class), MANAGE));
        }
        needs.add(need(Pod.class, READ));
        needs.add(need(io.fabric8.kubernetes.api.model.apps.ReplicaSet.class, READ));
        needs.add(need(Event.class, List.of("create")));
        for (Class<? extends HasMetadata> kind : List.of(BlobBackend.class, QueueBackend.class, RouteRule.class,
                EdgeGateway.class)) {
            needs.add(need(kind, READ));
            needs.add(new Need(HasMetadata.getGroup(kind), HasMetadata.getPlural(kind) + "/status", List.of("patch")));
        }
        return needs;
    }

    private static Need need(Class<? extends HasMetadata> kind, List<String> verbs) {
        return new Need(HasMetadata.getGroup(kind), HasMetadata.getPlural(kind), verbs);
    }
}
