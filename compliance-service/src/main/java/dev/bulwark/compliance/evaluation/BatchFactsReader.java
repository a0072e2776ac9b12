package dev.bulwark.compliance.evaluation;

import dev.bulwark.compliance.directory.Directory;
import dev.bulwark.compliance.managed.DeviceCompliancePolicy;
import dev.bulwark.compliance.policy.Policies;
import dev.bulwark.compliance.policy.SubjectFacts;
import dev.bulwark.compliance.unmanaged.AppProtectionPolicy;
import dev.bulwark.events.PolicyKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fills a {@link BatchFacts} with what its subjects are judged on: each tenant's live policies and the directory facts
 * of its users and devices, with one query per kind for the whole batch (members {@code = any(?)}). A lookup the batch
 * cannot answer (a subject judged on its own, outside any batch) is read here once and kept in the batch as well.
 */
@ApplicationScoped
public class BatchFactsReader {

    private final Policies policies;
    private final Directory directory;

    BatchFactsReader(Policies policies, Directory directory) {
        this.policies = policies;
        this.directory = directory;
    }

    /** The tenant's live app protection policies, read the first time the batch needs them. */
    public List<AppProtectionPolicy> appProtection(BatchFacts batch, String tenantId) {
        return batch.appProtectionOf(tenantId).orElseGet(() -> {
            List<AppProtectionPolicy> read = policies.live(tenantId, PolicyKind.APP_PROTECTION).stream()
                    .map(AppProtectionPolicy::from)
                    .toList();
            batch.appProtectionRead(tenantId, read);
            return read;
        });
    }

    /** The tenant's live device compliance policies, read the first time the batch needs them. */
    public List<DeviceCompliancePolicy> deviceCompliance(BatchFacts batch, String tenantId) {
        return batch.deviceComplianceOf(tenantId).orElseGet(() -> {
            List<DeviceCompliancePolicy> read = policies.live(tenantId, PolicyKind.DEVICE_COMPLIANCE).stream()
                    .map(DeviceCompliancePolicy::from)
                    .toList();
            batch.deviceComplianceRead(tenantId, read);
            return read;
        });
    }

    /**
     * Reads the directory facts of the tenant's {@code users} (groups, licence, and — only when one of the tenant's app
     * protection policies looks at it — whether the account is disabled) and the groups of {@code devices}: one query
     * for all their groups, one for the licences, one for the disabled accounts.
     */
    public void readDirectory(BatchFacts batch, String tenantId, Collection<String> users, Collection<String> devices) {
        if (users.isEmpty() && devices.isEmpty()) {
            return;
        }
        List<String> members = new ArrayList<>(users);
        members.addAll(devices);
        Map<String, Set<String>> groups = directory.groupsOf(tenantId, members);
        Set<String> licensed = directory.licensed(tenantId, users);
        boolean disabledMatters = !users.isEmpty()
                && appProtection(batch, tenantId).stream()
                        .anyMatch(p -> p.disabledAccount().isPresent());
        Set<String> disabled = disabledMatters ? directory.disabled(tenantId, users) : Set.of();
        batch.directoryRead(tenantId, members, groups, users, licensed, disabled);
    }

    /** An app instance's user's facts, from the batch or, when it does not hold them, read now. */
    public SubjectFacts ofUser(BatchFacts batch, String tenantId, String userId) {
        return batch.factsOfUser(tenantId, userId).orElseGet(() -> {
            readDirectory(batch, tenantId, List.of(userId), List.of());
            return batch.factsOfUser(tenantId, userId).orElseThrow();
        });
    }

    /** A managed device's facts (its and its primary user's groups), from the batch or, when it does not hold them, read now. */
    public SubjectFacts ofDevice(BatchFacts batch, String tenantId, String deviceId, String userId) {
        return batch.factsOfDevice(tenantId, deviceId, userId).orElseGet(() -> {
            batch.directoryRead(
                    tenantId,
                    List.of(deviceId, userId),
                    directory.groupsOf(tenantId, List.of(deviceId, userId)),
                    List.of(),
                    Set.of(),
                    Set.of());
            return batch.factsOfDevice(tenantId, deviceId, userId).orElseThrow();
        });
    }
}
