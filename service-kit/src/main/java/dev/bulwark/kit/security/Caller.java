package dev.bulwark.kit.security;

import dev.bulwark.kit.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, read from the verified bearer token: the tenant (always from the token, never from the path or the
 * body), the subject, the roles and, for a device's agent, the device.
 */
@RequestScoped
public class Caller {

    public static final String TENANT_CLAIM = "tenant_id";
    public static final String DEVICE_CLAIM = "device_id";
    public static final String REGISTRATION_CLAIM = "registration_id";
    public static final String USER_CLAIM = "user_id";
    /** The credential generation of an app instance's credential: a selective wipe moves the instance to the next. */
    public static final String GENERATION_CLAIM = "gen";

    private final JsonWebToken token;

    Caller(JsonWebToken token) {
        this.token = token;
    }

    /** The caller's tenant; a token without one is refused. */
    public String tenantId() {
        return claim(TENANT_CLAIM)
                .filter(tenant -> !tenant.isBlank())
                .orElseThrow(() -> ProblemException.forbidden("The token carries no " + TENANT_CLAIM + " claim."));
    }

    /** The token's {@code sub}: a user id, a device id or a service name, depending on the role. */
    public String subject() {
        String subject = token.getSubject();
        if (subject == null || subject.isBlank()) {
            throw ProblemException.forbidden("The token carries no subject.");
        }
        return subject;
    }

    public boolean hasRole(String role) {
        return token.getGroups() != null && token.getGroups().contains(role);
    }

    public boolean isAdmin() {
        return hasRole(Roles.ADMIN);
    }

    public Set<String> roles() {
        return token.getGroups() == null ? Set.of() : Set.copyOf(token.getGroups());
    }

    /** The token's {@code iss}. */
    public Optional<String> issuer() {
        return Optional.ofNullable(token.getIssuer());
    }

    /** When the token ends ({@code exp}). */
    public Optional<Instant> expiresAt() {
        long exp = token.getExpirationTime();
        return exp > 0 ? Optional.of(Instant.ofEpochSecond(exp)) : Optional.empty();
    }

    /** The app instance an app-instance credential acts for. */
    public Optional<String> registrationId() {
        return claim(REGISTRATION_CLAIM);
    }

    /** The user an app-instance credential acts for. */
    public Optional<String> credentialUser() {
        return claim(USER_CLAIM);
    }

    /** The generation of an app-instance credential. */
    public Optional<Long> credentialGeneration() {
        Object generation = token.getClaim(GENERATION_CLAIM);
        if (generation instanceof Number number) {
            return Optional.of(number.longValue());
        }
        if (generation instanceof jakarta.json.JsonNumber number) {
            return Optional.of(number.longValue());
        }
        return Optional.empty();
    }

    /** The device a device token acts for. */
    public Optional<String> deviceId() {
        return claim(DEVICE_CLAIM);
    }

    /** A claim as a string, its double quotes removed (a claim held as a JSON string prints quoted). */
    private Optional<String> claim(String name) {
        Object value = token.getClaim(name);
        return value == null ? Optional.empty() : Optional.of(value.toString().replace("\"", ""));
    }
}
