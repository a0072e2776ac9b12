package dev.bulwark.policy.signin;

import dev.bulwark.kit.security.CachingTokenVerifier;
import dev.bulwark.kit.security.Caller;
import dev.bulwark.kit.security.Roles;
import dev.bulwark.kit.validation.Limits;
import dev.bulwark.policy.protection.AppIds;
import dev.bulwark.policy.protection.ProtectedPlatform;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code GET /api/v1/me/sign-in} answered on the event loop, before Quarkus REST, when everything it needs is already
 * in memory: a bearer token verified before (service-kit's verified-token cache: not ended, same keys) carrying the
 * user role and a tenant, well-formed parameters, and a remembered answer whose versions are current. Anything else —
 * a new or unknown token, a missing role or tenant, a parameter the resource would refuse, an answer to compute — is
 * handed on unchanged to {@link SignInResource}, which authenticates, validates (problem+json) and computes as before.
 * So this route only ever answers what the resource would answer, byte for byte but for {@code checkAgainAt}.
 */
@ApplicationScoped
public class SignInFromMemory {

    static final String PATH = "/api/v1/me/sign-in";
    private static final String BEARER = "Bearer ";

    private final CachingTokenVerifier tokens;
    private final SignInService signIn;
    private final boolean enabled;

    SignInFromMemory(
            CachingTokenVerifier tokens,
            SignInService signIn,
            @ConfigProperty(name = "bulwark.policy.sign-in.from-memory", defaultValue = "true") boolean enabled) {
        this.tokens = tokens;
        this.signIn = signIn;
        this.enabled = enabled;
    }

    void install(@Observes Router router) {
        if (enabled) {
            router.get(PATH).handler(this::answer);
        }
    }

    private void answer(RoutingContext context) {
        Optional<byte[]> body = fromMemory(context);
        if (body.isEmpty()) {
            context.next();
            return;
        }
        context.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json;charset=UTF-8")
                .end(Buffer.buffer(body.get()));
    }

    /** The answer if it can be given from memory, else empty (the resource takes the request). */
    Optional<byte[]> fromMemory(RoutingContext context) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        Optional<JsonWebToken> verified =
                tokens.alreadyVerified(authorization.substring(BEARER.length()).trim());
        if (verified.isEmpty()) {
            return Optional.empty();
        }
        JsonWebToken token = verified.get();
        Set<String> groups = token.getGroups();
        Object tenantClaim = token.getClaim(Caller.TENANT_CLAIM);
        String subject = token.getSubject();
        if (groups == null
                || !groups.contains(Roles.USER)
                || tenantClaim == null
                || subject == null
                || subject.isBlank()) {
            return Optional.empty();
        }
        String tenant = tenantClaim.toString().replace("\"", "");
        if (tenant.isBlank()) {
            return Optional.empty();
        }
        MultiMap query = context.queryParams();
        String appId = single(query, "appId");
        String registrationId = single(query, "registrationId");
        String platform = single(query, "platform");
        if (query.size() > 3 && extraParameters(query)) {
            return Optional.empty();
        }
        if (!wellFormedId(appId) || (registrationId != null && !wellFormedId(registrationId))) {
            return Optional.empty();
        }
        Optional<ProtectedPlatform> protectedPlatform = Optional.empty();
        if (platform != null && !platform.isBlank()) {
            if (platform.length() > Limits.SHORT) {
                return Optional.empty();
            }
            try {
                protectedPlatform =
                        Optional.of(ProtectedPlatform.valueOf(platform.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        long issuedAt = token.getIssuedAtTime();
        return signIn.rememberedAnswer(new SignInService.Attempt(
                tenant,
                subject,
                appId,
                registrationId,
                protectedPlatform,
                issuedAt > 0 ? Optional.of(Instant.ofEpochSecond(issuedAt)) : Optional.empty()));
    }

    /** A parameter given once, or null; a repeated one is left to the resource. */
    private static String single(MultiMap query, String name) {
        java.util.List<String> values = query.getAll(name);
        if (values.isEmpty()) {
            return null;
        }
        return values.size() == 1 ? values.get(0) : "\u0000"; // never well-formed: the resource decides
    }

    private static boolean extraParameters(MultiMap query) {
        for (String name : query.names()) {
            if (!name.equals("appId") && !name.equals("registrationId") && !name.equals("platform")) {
                return true;
            }
        }
        return query.size() > 3;
    }

    private static boolean wellFormedId(String id) {
        return id != null && id.length() <= Limits.ID && AppIds.wellFormed(id);
    }
}
