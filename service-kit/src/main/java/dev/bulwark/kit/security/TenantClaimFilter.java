package dev.bulwark.kit.security;

import dev.bulwark.kit.problem.ProblemException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses every authenticated call whose token carries no tenant, before any resource runs: a resource that happens
 * not to ask {@link Caller#tenantId()} (a tenant-independent list, say) must not serve a token that names no tenant.
 * The answer is 403 (the token is genuine, but grants nothing without a tenant), as {@link Caller#tenantId()} gives.
 * Anonymous calls pass here; the resource's own role check refuses them with 401.
 */
public class TenantClaimFilter {

    @Inject
    CurrentIdentityAssociation identities;

    @ServerRequestFilter
    public Uni<Void> requireTenant() {
        return identities
                .getDeferredIdentity()
                .invoke(identity -> {
                    check(identity);
                    tenantOf(identity).ifPresent(tenant -> MDC.put(LOG_TENANT, tenant));
                })
                .replaceWithVoid();
    }

    /** The log field (MDC) naming the caller's tenant, for every line logged while the request is served. */
    public static final String LOG_TENANT = "tenantId";

    private static java.util.Optional<String> tenantOf(SecurityIdentity identity) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return java.util.Optional.empty();
        }
        Object claim = token.getClaim(Caller.TENANT_CLAIM);
        return hasTenant(claim)
                ? java.util.Optional.of(claim.toString().replace("\"", ""))
                : java.util.Optional.empty();
    }

    static void check(SecurityIdentity identity) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return;
        }
        if (!hasTenant(token.getClaim(Caller.TENANT_CLAIM))) {
            throw ProblemException.forbidden("The token carries no " + Caller.TENANT_CLAIM + " claim.");
        }
    }

    /** A tenant claim counts when it is a non-blank value. */
    static boolean hasTenant(Object claim) {
        return claim != null && !claim.toString().replace("\"", "").isBlank();
    }
}
