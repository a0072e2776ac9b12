package dev.bulwark.policy.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.policy.directory.DirectoryState;
import dev.bulwark.policy.protection.AppIds;
import dev.bulwark.policy.store.PolicyKind;
import dev.bulwark.policy.store.PolicyStore;
import dev.bulwark.policy.store.StoredPolicy;
import dev.bulwark.policy.support.FieldErrors;
import dev.bulwark.policy.targeting.Target;
import dev.bulwark.policy.targeting.TargetKind;
import dev.bulwark.policy.targeting.TargetRules;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Checks and stores conditional-access rules: which resources require a compliant device or an app protection policy,
 * for which users. A request with any fault is refused whole.
 */
@ApplicationScoped
public class ConditionalAccessRules {

    /** Any resource. */
    public static final String EVERY_RESOURCE = "*";

    private final PolicyStore store;
    private final DirectoryState directory;
    private final ObjectMapper json;

    ConditionalAccessRules(PolicyStore store, DirectoryState directory, ObjectMapper json) {
        this.store = store;
        this.directory = directory;
        this.json = json;
    }

    public ConditionalAccessRuleView create(String tenantId, ConditionalAccessRuleRequest request) {
        ConditionalAccessBody body = check(tenantId, request);
        return view(store.create(
                tenantId, PolicyKind.CONDITIONAL_ACCESS, request.name(), Optional.empty(), targets(request), body));
    }

    public ConditionalAccessRuleView replace(String tenantId, String id, ConditionalAccessRuleRequest request) {
        store.get(tenantId, PolicyKind.CONDITIONAL_ACCESS, id);
        ConditionalAccessBody body = check(tenantId, request);
        return view(store.replace(
                tenantId, PolicyKind.CONDITIONAL_ACCESS, id, request.name(), Optional.empty(), targets(request), body));
    }

    public ConditionalAccessRuleView get(String tenantId, String id) {
        return view(store.get(tenantId, PolicyKind.CONDITIONAL_ACCESS, id));
    }

    public List<ConditionalAccessRuleView> list(String tenantId) {
        return store.list(tenantId, PolicyKind.CONDITIONAL_ACCESS).stream()
                .map(this::view)
                .toList();
    }

    public void delete(String tenantId, String id) {
        store.delete(tenantId, PolicyKind.CONDITIONAL_ACCESS, id);
    }

    public ConditionalAccessBody body(StoredPolicy policy) {
        try {
            return json.readValue(policy.body(), ConditionalAccessBody.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored body of rule " + policy.id() + " is not readable", e);
        }
    }

    private ConditionalAccessRuleView view(StoredPolicy policy) {
        ConditionalAccessBody body = body(policy);
        return new ConditionalAccessRuleView(
                policy.id(),
                policy.name(),
                policy.version(),
                body.resources(),
                body.require(),
                body.operator(),
                body.enabled(),
                policy.targets(),
                policy.createdAt(),
                policy.updatedAt());
    }

    private ConditionalAccessBody check(String tenantId, ConditionalAccessRuleRequest request) {
        FieldErrors errors = new FieldErrors();
        errors.check(request.resources().isEmpty(), "resources", "must name at least one resource, or \"*\"");
        LinkedHashSet<String> resources = new LinkedHashSet<>();
        for (int i = 0; i < request.resources().size(); i++) {
            String resource = request.resources().get(i);
            if (EVERY_RESOURCE.equals(resource) || AppIds.wellFormed(resource)) {
                resources.add(resource);
            } else {
                errors.add(
                        "resources[" + i + "]",
                        "must be \"*\" or a resource id (letters, digits, '.', '_', '-')," + " was '" + resource + "'");
            }
        }
        errors.check(
                request.require().isEmpty(), "require", "must name at least one grant of " + List.of(Grant.values()));
        for (int i = 0; i < request.require().size(); i++) {
            errors.check(
                    request.require().get(i) == null,
                    "require[" + i + "]",
                    "must be one of " + List.of(Grant.values()));
        }
        errors.check(
                request.require().stream().distinct().count()
                        != request.require().size(),
                "require",
                "lists a grant twice");
        TargetRules.check(
                targets(request),
                EnumSet.of(TargetKind.ALL_USERS, TargetKind.USER_GROUP),
                group -> directory.groupKind(tenantId, group),
                errors);
        errors.throwIfAny();
        return new ConditionalAccessBody(
                new ArrayList<>(resources),
                List.copyOf(request.require()),
                request.operator() == null ? GrantOperator.REQUIRE_ALL : request.operator(),
                request.enabled() == null || request.enabled());
    }

    private static List<Target> targets(ConditionalAccessRuleRequest request) {
        return request.targets() == null ? List.of() : request.targets();
    }
}
