package dev.bulwark.policy.configuration;

import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.policy.store.PolicyKind;
import dev.bulwark.policy.store.PolicyStore;
import dev.bulwark.policy.store.StoredPolicy;
import dev.bulwark.policy.support.FieldErrors;
import dev.bulwark.rules.OsPlatform;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Checks, stores and delivers configuration profiles. A request with any fault is refused whole, before anything is
 * written. A change — the profile row with its new version and PolicyChanged (outbox), its secrets, and the apply and
 * remove commands of every device it affects — commits in one transaction.
 */
@ApplicationScoped
public class ConfigurationProfiles {

    private final PolicyStore store;
    private final ProfileTargetRules targetRules;
    private final ProfileSecrets secrets;
    private final ProfileDelivery delivery;

    ConfigurationProfiles(
            PolicyStore store, ProfileTargetRules targetRules, ProfileSecrets secrets, ProfileDelivery delivery) {
        this.store = store;
        this.targetRules = targetRules;
        this.secrets = secrets;
        this.delivery = delivery;
    }

    @Transactional
    public ConfigurationProfileView create(String tenantId, ConfigurationProfileRequest request) {
        Checked checked = check(tenantId, request, ref -> false);
        StoredPolicy stored = store.create(
                tenantId,
                PolicyKind.DEVICE_CONFIGURATION,
                request.name(),
                Optional.of(request.platform().name()),
                checked.split().groupTargets(),
                checked.body());
        secrets.save(tenantId, stored.id(), checked.settings().secrets());
        delivery.ofTenant(tenantId, Optional.empty());
        return view(stored);
    }

    @Transactional
    public ConfigurationProfileView replace(String tenantId, String id, ConfigurationProfileRequest request) {
        StoredPolicy existing = store.get(tenantId, PolicyKind.DEVICE_CONFIGURATION, id);
        ProfileType was = delivery.body(existing).type();
        if (request.type() != was) {
            throw ProblemException.unprocessable(
                    "type", "a profile's type cannot change (it is " + was + "); create a new profile instead");
        }
        Checked checked = check(tenantId, request, ref -> secrets.known(tenantId, id, ref));
        StoredPolicy stored = store.replace(
                tenantId,
                PolicyKind.DEVICE_CONFIGURATION,
                id,
                request.name(),
                Optional.of(request.platform().name()),
                checked.split().groupTargets(),
                checked.body());
        if (stored.version() != existing.version()) {
            secrets.save(tenantId, id, checked.settings().secrets());
            delivery.ofTenant(tenantId, Optional.empty());
        }
        return view(stored);
    }

    public ConfigurationProfileView get(String tenantId, String id) {
        return view(store.get(tenantId, PolicyKind.DEVICE_CONFIGURATION, id));
    }

    public List<ConfigurationProfileView> list(String tenantId) {
        return store.list(tenantId, PolicyKind.DEVICE_CONFIGURATION).stream()
                .map(this::view)
                .toList();
    }

    /** Deletes the profile (tombstone, PolicyChanged DELETED) and removes it from every device that holds it. */
    @Transactional
    public void delete(String tenantId, String id) {
        store.delete(tenantId, PolicyKind.DEVICE_CONFIGURATION, id);
        delivery.ofTenant(tenantId, Optional.empty());
    }

    ConfigurationProfileView view(StoredPolicy policy) {
        ConfigurationProfileBody body = delivery.body(policy);
        List<ProfileTarget> targets = new ArrayList<>();
        policy.targets().forEach(t -> targets.add(ProfileTarget.of(t)));
        if (body.deviceTargets() != null) {
            body.deviceTargets().forEach(t -> targets.add(ProfileTarget.of(t)));
        }
        return new ConfigurationProfileView(
                policy.id(),
                policy.name(),
                OsPlatform.valueOf(policy.platform().orElseThrow()),
                body.type(),
                policy.version(),
                body.settings(),
                targets,
                policy.createdAt(),
                policy.updatedAt());
    }

    private record Checked(
            ProfileSettings.Checked settings, ProfileTargetRules.Split split, ConfigurationProfileBody body) {}

    private Checked check(String tenantId, ConfigurationProfileRequest request, Predicate<String> knownSecret) {
        FieldErrors errors = new FieldErrors();
        ProfileSettings.Checked settings =
                ProfileSettings.check(request.type(), request.platform(), request.settings(), knownSecret, errors);
        ProfileTargetRules.Split split = targetRules.check(
                tenantId, request.platform(), request.targets() == null ? List.of() : request.targets(), errors);
        errors.throwIfAny();
        return new Checked(
                settings,
                split,
                new ConfigurationProfileBody(request.type(), settings.settings(), split.deviceTargets()));
    }
}
