package dev.bulwark.kit.security;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

/**
 * Moves bearer-token verification off the event loop when OIDC issuers are configured: verifying a provider's token
 * may have to fetch its JWKS (a key id not seen yet), a blocking HTTP call that must not stall the event loop.
 * quarkus-smallrye-jwt decides this once, from {@code quarkus.smallrye-jwt.blocking-authentication} (by default: only
 * when its own key location is remote, which the local PEM is not). This interceptor (registered through
 * {@code META-INF/services}) answers {@code true} for that property when {@value OidcIssuerSettings#ISSUERS} names an
 * issuer and the property is not set; a value set anywhere wins, and without issuers nothing changes.
 */
public class OidcBlockingAuthentication implements ConfigSourceInterceptor {

    static final String PROPERTY = "quarkus.smallrye-jwt.blocking-authentication";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value != null || !PROPERTY.equals(name)) {
            return value;
        }
        ConfigValue issuers = context.restart(OidcIssuerSettings.ISSUERS);
        if (issuers == null || issuers.getValue() == null || issuers.getValue().isBlank()) {
            return null;
        }
        return ConfigValue.builder()
                .withName(PROPERTY)
                .withValue("true")
                .withConfigSourceName(OidcBlockingAuthentication.class.getSimpleName())
                .build();
    }
}
