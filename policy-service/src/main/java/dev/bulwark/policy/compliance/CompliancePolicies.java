package dev.bulwark.policy.compliance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.policy.directory.DirectoryState;
import dev.bulwark.policy.store.PolicyKind;
import dev.bulwark.policy.store.PolicyStore;
import dev.bulwark.policy.store.StoredPolicy;
import dev.bulwark.policy.support.FieldErrors;
import dev.bulwark.policy.targeting.Target;
import dev.bulwark.policy.targeting.TargetKind;
import dev.bulwark.policy.targeting.TargetRules;
import dev.bulwark.rules.OsPlatform;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Checks and stores device compliance policies (managed path). compliance-service evaluates them from PolicyChanged;
 * this service only owns them. A request with any fault is refused whole.
 */
@ApplicationScoped
public class CompliancePolicies {

    private final PolicyStore store;
    private final DirectoryState directory;
    private final ObjectMapper json;

    CompliancePolicies(PolicyStore store, DirectoryState directory, ObjectMapper json) {
        this.store = store;
        this.directory = directory;
        this.json = json;
    }

    public CompliancePolicyView create(String tenantId, CompliancePolicyRequest request) {
        CompliancePolicyBody body = check(tenantId, request);
        return view(store.create(
                tenantId,
                PolicyKind.DEVICE_COMPLIANCE,
                request.name(),
                Optional.of(request.platform().name()),
                targets(request),
                body));
    }

    public CompliancePolicyView replace(String tenantId, String id, CompliancePolicyRequest request) {
        store.get(tenantId, PolicyKind.DEVICE_COMPLIANCE, id);
        CompliancePolicyBody body = check(tenantId, request);
        return view(store.replace(
                tenantId,
                PolicyKind.DEVICE_COMPLIANCE,
                id,
                request.name(),
                Optional.of(request.platform().name()),
                targets(request),
                body));
    }

    public CompliancePolicyView get(String tenantId, String id) {
        return view(store.get(tenantId, PolicyKind.DEVICE_COMPLIANCE, id));
    }

    public List<CompliancePolicyView> list(String tenantId) {
        return store.list(tenantId, PolicyKind.DEVICE_COMPLIANCE).stream()
                .map(this::view)
                .toList();
    }

    public void delete(String tenantId, String id) {
        store.delete(tenantId, PolicyKind.DEVICE_COMPLIANCE, id);
    }

    private CompliancePolicyView view(StoredPolicy policy) {
        CompliancePolicyBody body;
        try {
            body = json.readValue(policy.body(), CompliancePolicyBody.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored body of policy " + policy.id() + " is not readable", e);
        }
        return new CompliancePolicyView(
                policy.id(),
                policy.name(),
                OsPlatform.valueOf(policy.platform().orElseThrow()),
                policy.version(),
                body.rules(),
                body.actions(),
                policy.targets(),
                policy.createdAt(),
                policy.updatedAt());
    }

    private CompliancePolicyBody check(String tenantId, CompliancePolicyRequest request) {
        FieldErrors errors = new FieldErrors();
        ScheduleRules.check(request.rules(), request.actions(), errors);
        TargetRules.check(
                targets(request),
                EnumSet.allOf(TargetKind.class),
                group -> directory.groupKind(tenantId, group),
                errors);
        errors.throwIfAny();
        ComplianceRules rules = request.rules();
        return new CompliancePolicyBody(
                new ComplianceRules(
                        rules.minimumOsVersion(),
                        rules.maximumOsVersion(),
                        rules.encryptionRequired(),
                        rules.passcodeRequired(),
                        rules.jailbrokenBlocked(),
                        rules.requiredApps() == null ? List.of() : List.copyOf(rules.requiredApps()),
                        Boolean.TRUE.equals(rules.configurationProfilesApplied())),
                List.copyOf(request.actions()));
    }

    private static List<Target> targets(CompliancePolicyRequest request) {
        return request.targets() == null ? List.of() : request.targets();
    }
}
