package dev.bulwark.policy.signin;

import dev.bulwark.policy.access.ConditionalAccessBody;
import dev.bulwark.policy.access.ConditionalAccessRules;
import dev.bulwark.policy.protection.AppProtectionBody;
import dev.bulwark.policy.protection.AppProtectionPolicies;
import dev.bulwark.policy.protection.AppProtectionSettings;
import dev.bulwark.policy.protection.MostRestrictive;
import dev.bulwark.policy.protection.ProtectedPlatform;
import dev.bulwark.policy.store.PolicyKind;
import dev.bulwark.policy.store.StoredPolicy;
import dev.bulwark.policy.support.SignInVersions;
import dev.bulwark.policy.targeting.Target;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The app protection policies and conditional-access rules of every tenant, in memory and indexed by protected app, so
 * sign-in needs no database read. Updated after each committed change in this process and by the periodic catch-up
 * (changes made by other replicas); a policy's higher version always wins, tombstones included. Merged settings are
 * memoised per combination of policy versions.
 */
@ApplicationScoped
public class PolicyCache {

    private final AppProtectionPolicies appProtection;
    private final ConditionalAccessRules conditionalAccess;
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final Map<String, AppProtectionSettings> merged = new ConcurrentHashMap<>();

    private final SignInVersions versions;

    PolicyCache(
            AppProtectionPolicies appProtection, ConditionalAccessRules conditionalAccess, SignInVersions versions) {
        this.appProtection = appProtection;
        this.conditionalAccess = conditionalAccess;
        this.versions = versions;
    }

    /** One app protection policy as sign-in needs it. */
    public record AppPolicy(
            String id,
            String name,
            long version,
            ProtectedPlatform platform,
            List<Target> targets,
            Set<String> appIds,
            AppProtectionSettings settings) {}

    /** One conditional-access rule as sign-in needs it. */
    public record AccessRule(String id, String name, long version, List<Target> targets, ConditionalAccessBody body) {}

    /** The tenant's app protection policies that cover {@code appId}. */
    public List<AppPolicy> appPolicies(String tenantId, String appId) {
        Tenant tenant = tenants.get(tenantId);
        return tenant == null ? List.of() : tenant.byApp.getOrDefault(appId, List.of());
    }

    /** The tenant's enabled conditional-access rules. */
    public List<AccessRule> accessRules(String tenantId) {
        Tenant tenant = tenants.get(tenantId);
        return tenant == null ? List.of() : tenant.accessRules;
    }

    /** The most restrictive combination of the policies' settings. */
    public AppProtectionSettings merge(List<AppPolicy> policies) {
        if (policies.size() == 1) {
            return policies.get(0).settings();
        }
        String key =
                policies.stream().map(p -> p.id() + ":" + p.version()).sorted().collect(Collectors.joining(","));
        return merged.computeIfAbsent(
                key,
                k -> MostRestrictive.mergeAll(
                        policies.stream().map(AppPolicy::settings).toList()));
    }

    void changed(@Observes StoredPolicy policy) {
        apply(List.of(policy));
    }

    /** Applies stored rows (from a change or a catch-up); older versions than those known are ignored. */
    synchronized void apply(List<StoredPolicy> policies) {
        Map<String, List<StoredPolicy>> byTenant = new HashMap<>();
        for (StoredPolicy policy : policies) {
            // Only what a sign-in answers with: device compliance policies and configuration profiles are not.
            if (policy.kind() == PolicyKind.APP_PROTECTION || policy.kind() == PolicyKind.CONDITIONAL_ACCESS) {
                byTenant.computeIfAbsent(policy.tenantId(), t -> new ArrayList<>())
                        .add(policy);
            }
        }
        byTenant.forEach((tenantId, changes) -> {
            Map<String, StoredPolicy> rows = new HashMap<>(tenants.getOrDefault(tenantId, Tenant.EMPTY).rows);
            boolean any = false;
            for (StoredPolicy change : changes) {
                StoredPolicy known = rows.get(change.id());
                if (known == null || known.version() < change.version()) {
                    rows.put(change.id(), change);
                    any = true;
                }
            }
            if (any) {
                tenants.put(tenantId, index(rows));
                merged.clear();
                versions.tenantChanged(tenantId);
            }
        });
    }

    private Tenant index(Map<String, StoredPolicy> rows) {
        Map<String, List<AppPolicy>> byApp = new HashMap<>();
        List<AccessRule> rules = new ArrayList<>();
        List<StoredPolicy> ordered = rows.values().stream()
                .filter(p -> !p.deleted())
                .sorted(java.util.Comparator.comparing(StoredPolicy::createdAt).thenComparing(StoredPolicy::id))
                .toList();
        for (StoredPolicy row : ordered) {
            if (row.kind() == PolicyKind.APP_PROTECTION) {
                AppProtectionBody body = appProtection.body(row);
                AppPolicy policy = new AppPolicy(
                        row.id(),
                        row.name(),
                        row.version(),
                        ProtectedPlatform.valueOf(row.platform().orElseThrow()),
                        row.targets(),
                        Set.copyOf(body.appIds()),
                        body.settings());
                body.appIds().forEach(app -> byApp.computeIfAbsent(app, a -> new ArrayList<>())
                        .add(policy));
            } else {
                ConditionalAccessBody body = conditionalAccess.body(row);
                if (body.enabled()) {
                    rules.add(new AccessRule(row.id(), row.name(), row.version(), row.targets(), body));
                }
            }
        }
        Map<String, List<AppPolicy>> frozen = new HashMap<>();
        byApp.forEach((app, list) -> frozen.put(app, List.copyOf(list)));
        return new Tenant(Map.copyOf(rows), Map.copyOf(frozen), List.copyOf(rules));
    }

    /** An immutable snapshot of one tenant's policies; replaced whole on every change. */
    private record Tenant(
            Map<String, StoredPolicy> rows, Map<String, List<AppPolicy>> byApp, List<AccessRule> accessRules) {
        static final Tenant EMPTY = new Tenant(Map.of(), Map.of(), List.of());
    }
}
