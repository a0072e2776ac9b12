package dev.bulwark.kit.security;

import dev.bulwark.kit.problem.ProblemException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;
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
        return identities.getDeferredIdentity().invoke(TenantClaimFilter::check).replaceWithVoid();
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
