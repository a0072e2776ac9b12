package dev.bulwark.policy.protection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.policy.directory.DirectoryState;
import dev.bulwark.policy.store.PolicyKind;
import dev.bulwark.policy.store.PolicyStore;
import dev.bulwark.policy.store.StoredPolicy;
import dev.bulwark.policy.support.FieldErrors;
import dev.bulwark.policy.targeting.Target;
import dev.bulwark.policy.targeting.TargetKind;
import dev.bulwark.policy.targeting.TargetRules;
import dev.bulwark.policy.templates.AppProtectionTemplate;
import dev.bulwark.policy.templates.AppProtectionTemplates;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns an admin's request into a complete, checked app protection policy and stores it; refuses the whole request
 * (nothing saved, nothing published) when any setting, app or target is wrong.
 */
@ApplicationScoped
public class AppProtectionPolicies {

    /** App protection follows the user's identity, so it targets users and user groups only. */
    static final Set<TargetKind> TARGET_KINDS = EnumSet.of(TargetKind.ALL_USERS, TargetKind.USER_GROUP);

    private static final String DEFAULT_TEMPLATE = "level-1-basic";

    private final PolicyStore store;
    private final DirectoryState directory;
    private final ObjectMapper json;

    AppProtectionPolicies(PolicyStore store, DirectoryState directory, ObjectMapper json) {
        this.store = store;
        this.directory = directory;
        this.json = json;
    }

    public AppProtectionPolicyView create(String tenantId, AppProtectionPolicyRequest request) {
        Checked checked = check(tenantId, request);
        return view(store.create(
                tenantId,
                PolicyKind.APP_PROTECTION,
                request.name(),
                Optional.of(request.platform().name()),
                checked.targets(),
                checked.body()));
    }

    public AppProtectionPolicyView replace(String tenantId, String id, AppProtectionPolicyRequest request) {
        store.get(tenantId, PolicyKind.APP_PROTECTION, id); // 404 before 422
        Checked checked = check(tenantId, request);
        return view(store.replace(
                tenantId,
                PolicyKind.APP_PROTECTION,
                id,
                request.name(),
                Optional.of(request.platform().name()),
                checked.targets(),
                checked.body()));
    }

    public AppProtectionPolicyView get(String tenantId, String id) {
        return view(store.get(tenantId, PolicyKind.APP_PROTECTION, id));
    }

    public List<AppProtectionPolicyView> list(String tenantId) {
        return store.list(tenantId, PolicyKind.APP_PROTECTION).stream()
                .map(this::view)
                .toList();
    }

    public void delete(String tenantId, String id) {
        store.delete(tenantId, PolicyKind.APP_PROTECTION, id);
    }

    /** The body of a stored app protection policy. */
    public AppProtectionBody body(StoredPolicy policy) {
        try {
            return json.readValue(policy.body(), AppProtectionBody.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored body of policy " + policy.id() + " is not readable", e);
        }
    }

    AppProtectionPolicyView view(StoredPolicy policy) {
        AppProtectionBody body = body(policy);
        return new AppProtectionPolicyView(
                policy.id(),
                policy.name(),
                ProtectedPlatform.valueOf(policy.platform().orElseThrow()),
                policy.version(),
                body.appIds(),
                body.templateId(),
                body.settings(),
                policy.targets(),
                policy.createdAt(),
                policy.updatedAt());
    }

    private Checked check(String tenantId, AppProtectionPolicyRequest request) {
        FieldErrors errors = new FieldErrors();
        List<String> appIds = AppIds.check(request.appIds(), errors);
        Optional<AppProtectionTemplate> template = Optional.empty();
        if (request.templateId() != null) {
            template = AppProtectionTemplates.byId(request.templateId());
            errors.check(
                    template.isEmpty(),
                    "templateId",
                    "unknown template '" + request.templateId() + "'; one of "
                            + AppProtectionTemplates.all().stream()
                                    .map(AppProtectionTemplate::id)
                                    .toList());
        }
        Optional<AppProtectionSettings> settings = compose(
                template.orElseGet(
                        () -> AppProtectionTemplates.byId(DEFAULT_TEMPLATE).orElseThrow()),
                request.settings(),
                errors);
        settings.ifPresent(s -> SettingsRules.check(
                s, Optional.ofNullable(request.templateId()).flatMap(AppProtectionTemplates::byId), errors));
        List<Target> targets = request.targets() == null ? List.of() : request.targets();
        TargetRules.check(targets, TARGET_KINDS, group -> directory.groupKind(tenantId, group), errors);
        errors.throwIfAny();
        return new Checked(new AppProtectionBody(appIds, request.templateId(), settings.orElseThrow()), targets);
    }

    /** The template's settings with the request's (possibly partial) settings laid over them. */
    private Optional<AppProtectionSettings> compose(
            AppProtectionTemplate base, JsonNode overrides, FieldErrors errors) {
        ObjectNode tree = json.valueToTree(AppProtectionSettings.of(base));
        if (overrides != null && !overrides.isNull()) {
            if (!overrides.isObject()) {
                errors.add("settings", "must be an object");
                return Optional.empty();
            }
            overlay(tree, (ObjectNode) overrides);
        }
        try {
            return Optional.of(json.treeToValue(tree, AppProtectionSettings.class));
        } catch (JsonMappingException e) {
            errors.add(field(e), e.getOriginalMessage());
            return Optional.empty();
        } catch (JsonProcessingException e) {
            errors.add("settings", e.getOriginalMessage());
            return Optional.empty();
        }
    }

    private static void overlay(ObjectNode base, ObjectNode overrides) {
        Iterator<Map.Entry<String, JsonNode>> fields = overrides.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode current = base.get(field.getKey());
            if (current instanceof ObjectNode currentObject && field.getValue() instanceof ObjectNode overrideObject) {
                overlay(currentObject, overrideObject);
            } else {
                base.set(field.getKey(), field.getValue());
            }
        }
    }

    private static String field(JsonMappingException e) {
        StringBuilder field = new StringBuilder("settings");
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                field.append('.').append(ref.getFieldName());
            }
        }
        return field.toString();
    }

    private record Checked(AppProtectionBody body, List<Target> targets) {}
}
