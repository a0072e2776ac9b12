package dev.bulwark.kit.security;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * One organisation's OIDC issuer whose people's tokens Bulwark accepts, as configured: where its keys are (discovery
 * from the issuer URL, or a JWKS URL given directly), what a token must say (audience, algorithm) and how its claims
 * map to Bulwark's tenant, roles and user ({@link ClaimMapping}). Read from configuration by {@link #fromConfig}, which
 * refuses a setting it cannot use with a message naming the property, so a wrong setting stops the service at start.
 *
 * @param name the issuer's name in configuration ({@code bulwark.oidc.<name>.*})
 * @param issuer the exact {@code iss} its tokens carry; discovery is at {@code <issuer>/.well-known/openid-configuration}
 * @param audiences a token must name at least one of these in {@code aud}
 * @param jwksUri the JWKS URL, if given directly (no discovery then)
 * @param algorithms the signature algorithms accepted ({@code RS256}, {@code ES256})
 */
public record OidcIssuerSettings(
        String name,
        String issuer,
        Set<String> audiences,
        Optional<URI> jwksUri,
        Set<String> algorithms,
        ClaimMapping mapping) {

    /** The names of the configured issuers, comma-separated; empty (the default) means only the local key pair. */
    public static final String ISSUERS = "bulwark.oidc.issuers";
    /** How often each issuer's JWKS is fetched again even when no unknown key id was seen. */
    public static final String REFRESH_INTERVAL = "bulwark.oidc.jwks.refresh-interval";
    /** The least time between two JWKS fetches of one issuer caused by tokens naming a key id it does not know. */
    public static final String MIN_REFRESH_INTERVAL = "bulwark.oidc.jwks.min-refresh-interval";
    /** How long one discovery or JWKS request may take. */
    public static final String HTTP_TIMEOUT = "bulwark.oidc.http.timeout";

    /** The algorithms an issuer may be configured with: asymmetric only, never {@code none} or an HMAC. */
    public static final Set<String> SUPPORTED_ALGORITHMS = Set.of("RS256", "ES256");

    /**
     * The roles a provider's claim may be mapped to. {@code device} is left out (devices hold a credential Bulwark
     * issues, not a person's token) and so is {@code operator} (it reads every tenant's dead letters; one tenant's
     * provider must not be able to grant it).
     */
    public static final Set<String> GRANTABLE_ROLES = Set.of(Roles.ADMIN, Roles.USER, Roles.SERVICE);

    private static final Pattern NAME = Pattern.compile("[a-z0-9]{1,40}");

    public OidcIssuerSettings {
        audiences = Set.copyOf(audiences);
        algorithms = Set.copyOf(algorithms);
    }

    /** Timings shared by every issuer. */
    public record Timing(Duration refreshInterval, Duration minRefreshInterval, Duration httpTimeout) {
        public static final Timing DEFAULT =
                new Timing(Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofSeconds(5));

        static Timing fromConfig(Config config) {
            return new Timing(
                    config.getOptionalValue(REFRESH_INTERVAL, Duration.class).orElse(DEFAULT.refreshInterval()),
                    config.getOptionalValue(MIN_REFRESH_INTERVAL, Duration.class)
                            .orElse(DEFAULT.minRefreshInterval()),
                    config.getOptionalValue(HTTP_TIMEOUT, Duration.class).orElse(DEFAULT.httpTimeout()));
        }
    }

    /** Every issuer named in {@value #ISSUERS}, each checked; an empty list when none is named. */
    public static List<OidcIssuerSettings> fromConfig(Config config) {
        List<OidcIssuerSettings> issuers = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String name : list(config.getOptionalValue(ISSUERS, String.class).orElse(""))) {
            if (!NAME.matcher(name).matches()) {
                throw invalid(ISSUERS, "issuer name '" + name + "' must be 1 to 40 lower-case letters or digits");
            }
            OidcIssuerSettings settings = fromConfig(config, name);
            if (!seen.add(settings.issuer())) {
                throw invalid(key(name, "issuer"), "issuer " + settings.issuer() + " is configured twice");
            }
            String localIssuer = config.getOptionalValue("mp.jwt.verify.issuer", String.class)
                    .orElse("");
            if (settings.issuer().equals(localIssuer)) {
                throw invalid(key(name, "issuer"), "is the local key pair's issuer (mp.jwt.verify.issuer)");
            }
            issuers.add(settings);
        }
        return List.copyOf(issuers);
    }

    static OidcIssuerSettings fromConfig(Config config, String name) {
        String issuer = required(config, name, "issuer");
        URI issuerUri = uri(key(name, "issuer"), issuer);
        Set<String> audiences = new LinkedHashSet<>(list(required(config, name, "audience")));
        Optional<URI> jwksUri = optional(config, name, "jwks-uri").map(u -> uri(key(name, "jwks-uri"), u));
        jwksUri.ifPresent(u -> requireNoWeakerScheme(key(name, "jwks-uri"), issuerUri, u));
        Set<String> algorithms = new LinkedHashSet<>();
        for (String algorithm : list(optional(config, name, "algorithms").orElse("RS256"))) {
            String upper = algorithm.toUpperCase(Locale.ROOT);
            if (!SUPPORTED_ALGORITHMS.contains(upper)) {
                throw invalid(key(name, "algorithms"), "'" + algorithm + "' is not one of " + SUPPORTED_ALGORITHMS);
            }
            algorithms.add(upper);
        }
        if (algorithms.isEmpty()) {
            throw invalid(key(name, "algorithms"), "names no algorithm");
        }

        Optional<String> tenantClaim = optional(config, name, "tenant-claim");
        Optional<String> fixedTenant = optional(config, name, "tenant");
        if (tenantClaim.isPresent() == fixedTenant.isPresent()) {
            throw invalid(
                    key(name, "tenant-claim"),
                    "set exactly one of " + key(name, "tenant-claim") + " (the claim carrying the tenant) and "
                            + key(name, "tenant") + " (one tenant for every token of this issuer)");
        }
        Set<String> allowedTenants = new LinkedHashSet<>(
                list(optional(config, name, "allowed-tenants").orElse("")));
        Map<String, Set<String>> roleMap = roleMap(
                key(name, "role-map"), optional(config, name, "role-map").orElse(""));
        Set<String> defaultRoles =
                new LinkedHashSet<>(list(optional(config, name, "default-roles").orElse("")));
        for (String role : defaultRoles) {
            requireGrantable(key(name, "default-roles"), role);
        }
        ClaimMapping mapping = new ClaimMapping(
                tenantClaim,
                fixedTenant,
                allowedTenants,
                optional(config, name, "roles-claim").orElse("groups"),
                roleMap,
                defaultRoles,
                optional(config, name, "user-claim").orElse("sub"));
        return new OidcIssuerSettings(name, issuer, audiences, jwksUri, algorithms, mapping);
    }

    /** {@code provider-name=bulwark-role,...}; one provider name may be given several times for several roles. */
    static Map<String, Set<String>> roleMap(String property, String value) {
        Map<String, Set<String>> map = new LinkedHashMap<>();
        for (String pair : list(value)) {
            int equals = pair.lastIndexOf('=');
            if (equals <= 0 || equals == pair.length() - 1) {
                throw invalid(property, "'" + pair + "' is not provider-role=bulwark-role");
            }
            String provider = pair.substring(0, equals).trim();
            String role = pair.substring(equals + 1).trim();
            requireGrantable(property, role);
            map.computeIfAbsent(provider, p -> new LinkedHashSet<>()).add(role);
        }
        return map;
    }

    private static void requireGrantable(String property, String role) {
        if (!GRANTABLE_ROLES.contains(role)) {
            throw invalid(property, "'" + role + "' is not a role a provider may grant " + GRANTABLE_ROLES);
        }
    }

    private static void requireNoWeakerScheme(String property, URI issuer, URI jwks) {
        if ("https".equals(issuer.getScheme()) && !"https".equals(jwks.getScheme())) {
            throw invalid(property, "must use https, as the issuer does");
        }
    }

    static URI uri(String property, String value) {
        try {
            URI uri = URI.create(value);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw invalid(property, "'" + value + "' is not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw invalid(property, "'" + value + "' is not a URL");
        }
    }

    private static String required(Config config, String name, String property) {
        return optional(config, name, property)
                .orElseThrow(() -> invalid(key(name, property), "is required for issuer '" + name + "'"));
    }

    private static Optional<String> optional(Config config, String name, String property) {
        return config.getOptionalValue(key(name, property), String.class)
                .map(String::trim)
                .filter(v -> !v.isEmpty());
    }

    static String key(String name, String property) {
        return "bulwark.oidc." + name + "." + property;
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    private static IllegalArgumentException invalid(String property, String problem) {
        return new IllegalArgumentException(property + ": " + problem);
    }
}
