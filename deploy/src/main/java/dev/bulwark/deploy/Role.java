package dev.bulwark.deploy;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The roles a Bulwark token can carry, as the services check them in the token's {@code groups} claim. */
public enum Role {
    ADMIN,
    USER,
    DEVICE,
    SERVICE,
    /** The people who run the stack: may list and re-drive every tenant's dead letters ({@code ./bulwark dlq}). */
    OPERATOR;

    /** The value in the {@code groups} claim, e.g. {@code admin}. */
    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role named(String name) {
        for (Role role : values()) {
            if (role.claim().equalsIgnoreCase(name.trim())) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "'; known: "
                + Arrays.stream(values()).map(Role::claim).collect(Collectors.joining(", ")));
    }
}
