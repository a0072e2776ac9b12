package dev.bulwark.deploy;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Who signs people's tokens in a local stack: the stack's own dev key pair ({@code ./bulwark token}, the zero-setup
 * default), or a real Keycloak started beside PostgreSQL with the {@code bulwark-demo} realm ({@code --idp keycloak}).
 */
public enum IdentityProvider {
    DEV_KEYS("dev-keys"),
    KEYCLOAK("keycloak");

    private final String option;

    IdentityProvider(String option) {
        this.option = option;
    }

    /** The value {@code ./bulwark up --idp} takes. */
    public String option() {
        return option;
    }

    public static IdentityProvider named(String name) {
        for (IdentityProvider provider : values()) {
            if (provider.option.equalsIgnoreCase(name.trim())) {
                return provider;
            }
        }
        throw new IllegalArgumentException("--idp must be one of "
                + Arrays.stream(values()).map(IdentityProvider::option).collect(Collectors.joining(", ")) + ", not '"
                + name + "'");
    }

    @Override
    public String toString() {
        return option.toLowerCase(Locale.ROOT);
    }
}
