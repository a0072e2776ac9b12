package dev.bulwark.kit.security;

import dev.bulwark.kit.validation.Limits;
import io.smallrye.jwt.auth.principal.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jwt.JwtClaims;

/**
 * How one issuer's claims become Bulwark's: the tenant (a claim such as Entra's {@code tid}, or one fixed tenant for
 * every token of the issuer), the roles (a claim such as {@code groups}, {@code roles} or the nested
 * {@code realm_access.roles}, its values mapped to Bulwark roles) and the user id ({@code sub}, {@code oid},
 * {@code preferred_username}, {@code upn} …).
 *
 * <p>{@link #normalise} rewrites a verified token's claims into the shape the rest of Bulwark reads — {@code tenant_id},
 * {@code groups} (Bulwark roles only), {@code sub} — so {@link Caller}, {@link TenantClaimFilter} and
 * {@code @RolesAllowed} work the same for a provider's token as for one of the local key pair. Whatever the token said
 * in those claims itself is overwritten, and a {@code device_id} is dropped: a person's token never acts for a device.
 *
 * <p>A claim name is looked up as it is first (so a name with dots, such as Okta's or Auth0's URL-shaped custom
 * claims, works), then as a dotted path into nested objects.
 *
 * @param tenantClaim the claim carrying the tenant, or empty when {@code fixedTenant} is set
 * @param fixedTenant the tenant of every token of this issuer, or empty when {@code tenantClaim} is set
 * @param allowedTenants when not empty, the only tenants this issuer's tokens may name
 * @param rolesClaim the claim carrying the provider's roles or groups: an array of strings, or one string of names
 *     separated by spaces or commas
 * @param roleMap provider role or group name → Bulwark roles; when empty, provider names that are Bulwark roles
 *     ({@link OidcIssuerSettings#GRANTABLE_ROLES}) are taken as they are and the rest ignored
 * @param defaultRoles roles every token of this issuer gets, whatever its roles claim says
 * @param userClaim the claim whose value becomes {@code sub}
 */
public record ClaimMapping(
        Optional<String> tenantClaim,
        Optional<String> fixedTenant,
        Set<String> allowedTenants,
        String rolesClaim,
        Map<String, Set<String>> roleMap,
        Set<String> defaultRoles,
        String userClaim) {

    public ClaimMapping {
        if (tenantClaim.isPresent() == fixedTenant.isPresent()) {
            throw new IllegalArgumentException("exactly one of tenantClaim and fixedTenant");
        }
        allowedTenants = Set.copyOf(allowedTenants);
        roleMap = Map.copyOf(roleMap);
        defaultRoles = Set.copyOf(defaultRoles);
    }

    /**
     * Rewrites {@code claims} (already verified) into Bulwark's claims.
     *
     * @throws ParseException when the token carries no tenant, a tenant this issuer may not name, or no user id — the
     *     token is refused as if it were invalid (401)
     */
    public void normalise(JwtClaims claims) throws ParseException {
        String tenant = tenant(claims);
        String user = text(claims, userClaim)
                .orElseThrow(() -> new ParseException("The token carries no user id claim '" + userClaim + "'"));
        List<String> roles = new ArrayList<>(roles(claims));
        claims.setClaim(Caller.TENANT_CLAIM, tenant);
        claims.setClaim("sub", user);
        claims.setClaim("groups", roles);
        claims.unsetClaim(Caller.DEVICE_CLAIM);
    }

    String tenant(JwtClaims claims) throws ParseException {
        String tenant;
        if (fixedTenant.isPresent()) {
            tenant = fixedTenant.get();
        } else {
            String claim = tenantClaim.get();
            tenant = text(claims, claim)
                    .orElseThrow(() -> new ParseException("The token carries no tenant claim '" + claim + "'"));
        }
        if (tenant.length() > Limits.ID) {
            throw new ParseException("The token's tenant is longer than " + Limits.ID + " characters");
        }
        if (!allowedTenants.isEmpty() && !allowedTenants.contains(tenant)) {
            throw new ParseException("The token names tenant '" + tenant + "', which its issuer may not name");
        }
        return tenant;
    }

    Set<String> roles(JwtClaims claims) {
        Set<String> roles = new LinkedHashSet<>(defaultRoles);
        for (String name : names(value(claims, rolesClaim))) {
            if (roleMap.isEmpty()) {
                if (OidcIssuerSettings.GRANTABLE_ROLES.contains(name)) {
                    roles.add(name);
                }
            } else {
                roles.addAll(roleMap.getOrDefault(name, Set.of()));
            }
        }
        return roles;
    }

    private static List<String> names(Object value) {
        List<String> names = new ArrayList<>();
        if (value instanceof Collection<?> list) {
            for (Object item : list) {
                if (item instanceof String s && !s.isBlank()) {
                    names.add(s.trim());
                }
            }
        } else if (value instanceof String s) {
            for (String name : s.split("[\\s,]+")) {
                if (!name.isBlank()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static Optional<String> text(JwtClaims claims, String claim) {
        Object value = value(claims, claim);
        if (value instanceof String s && !s.isBlank()) {
            return Optional.of(s.trim());
        }
        return Optional.empty();
    }

    /** The claim's value by its whole name, else by walking a dotted path through nested objects. */
    static Object value(JwtClaims claims, String claim) {
        Object whole = claims.getClaimValue(claim);
        if (whole != null || claim.indexOf('.') < 0) {
            return whole;
        }
        Object current = claims.getClaimsMap();
        for (String step : claim.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(step);
        }
        return current;
    }
}
