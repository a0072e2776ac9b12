package dev.bulwark.gateway;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which service owns a path of the public API: the whole of the gateway's routing, as plain Java. Most resources are
 * owned by path prefix; two sub-resources of a device belong to other services than the device itself (its apps to
 * assignment-service, its configuration profiles to policy-service), and {@code /api/v1/me} is shared by the portal
 * (assignment-service) and sign-in (policy-service). Prefixes match whole path segments, so
 * {@code /api/v1/devicesX} is nobody's. The first rule that matches wins. Paths every service has
 * ({@code /api/v1/admin/...}, the dead letters) are nobody's here: they are reached per service, under
 * {@code /services/<service>/}.
 */
public final class RouteTable {

    private record Rule(Pattern path, Service service) {
        boolean matches(String candidate) {
            return path.matcher(candidate).matches();
        }
    }

    private static final List<Rule> RULES = List.of(
            segments("/api/v1/devices/[^/]+/apps", Service.ASSIGNMENT_SERVICE),
            segments("/api/v1/devices/[^/]+/configuration-profiles", Service.POLICY_SERVICE),
            prefix("/api/v1/devices", Service.DEVICE_REGISTRY),
            prefix("/api/v1/app-instances", Service.DEVICE_REGISTRY),
            prefix("/api/v1/users", Service.DEVICE_REGISTRY),
            prefix("/api/v1/groups", Service.DEVICE_REGISTRY),
            prefix("/api/v1/imports", Service.DEVICE_REGISTRY),
            prefix("/api/v1/apps", Service.ASSIGNMENT_SERVICE),
            prefix("/api/v1/me/apps", Service.ASSIGNMENT_SERVICE),
            prefix("/api/v1/me/portal", Service.ASSIGNMENT_SERVICE),
            prefix("/api/v1/me/devices", Service.ASSIGNMENT_SERVICE),
            prefix("/portal", Service.ASSIGNMENT_SERVICE),
            prefix("/api/v1/me/sign-in", Service.POLICY_SERVICE),
            prefix("/api/v1/me/pin-set", Service.POLICY_SERVICE),
            prefix("/api/v1/app-protection-policies", Service.POLICY_SERVICE),
            prefix("/api/v1/compliance-policies", Service.POLICY_SERVICE),
            prefix("/api/v1/conditional-access-rules", Service.POLICY_SERVICE),
            prefix("/api/v1/configuration-profiles", Service.POLICY_SERVICE),
            prefix("/api/v1/templates", Service.POLICY_SERVICE),
            prefix("/api/v1/access", Service.COMPLIANCE_SERVICE),
            prefix("/api/v1/subjects", Service.COMPLIANCE_SERVICE),
            prefix("/api/v1/wipes", Service.COMPLIANCE_SERVICE),
            // the keys device credentials are verified with (device-registry signs them)
            prefix("/.well-known/jwks.json", Service.DEVICE_REGISTRY));

    private RouteTable() {}

    /** The service that owns {@code path} (already normalised: no {@code ..}, no double slashes), if any. */
    public static Optional<Service> owner(String path) {
        return RULES.stream()
                .filter(rule -> rule.matches(path))
                .map(Rule::service)
                .findFirst();
    }

    private static Rule prefix(String prefix, Service service) {
        return segments(Pattern.quote(prefix), service);
    }

    private static Rule segments(String regex, Service service) {
        return new Rule(Pattern.compile(regex + "(/.*)?"), service);
    }
}
