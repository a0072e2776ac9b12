package dev.bulwark.kit.security;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.Claims;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * smallrye-jwt's own verification (its {@code DefaultJWTTokenParser}: signature, issuer, audience, times, required
 * claims), giving the same principal as its {@code DefaultJWTCallerPrincipalFactory} except for one thing: reading a
 * custom claim ({@code tenant_id}) does not throw and catch an exception inside smallrye-jwt on every call — that cost
 * more than the rest of a cached request once tokens were cached.
 */
final class SmallRyeVerification extends JWTCallerPrincipalFactory {

    private final DefaultJWTTokenParser parser = new DefaultJWTTokenParser();

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo info) throws ParseException {
        JwtContext context = parser.parse(token, info);
        String type = context.getJoseObjects().get(0).getHeader("typ");
        return new VerifiedPrincipal(type, context.getJwtClaims());
    }

    /** smallrye-jwt's principal, with the claim-type lookup done in a map instead of by a caught exception. */
    static final class VerifiedPrincipal extends DefaultJWTCallerPrincipal {

        private static final Map<String, Claims> CLAIMS =
                Arrays.stream(Claims.values()).collect(Collectors.toUnmodifiableMap(Claims::name, Function.identity()));

        VerifiedPrincipal(String type, JwtClaims claims) {
            super(type, claims);
        }

        @Override
        protected Claims getClaimType(String claimName) {
            return CLAIMS.getOrDefault(claimName, Claims.UNKNOWN);
        }
    }
}
