package dev.bulwark.kit.security;

/** The roles a Bulwark token can carry in its {@code groups} claim. */
public final class Roles {

    /** A tenant administrator: registers apps, writes policies, reads every subject of the tenant. */
    public static final String ADMIN = "admin";
    /** An end user, or a protected app acting for one user ({@code sub} is the user id). */
    public static final String USER = "user";
    /** An enrolled device's MDM agent ({@code device_id} names the device). */
    public static final String DEVICE = "device";
    /**
     * A protected app instance (MAM) acting with the credential its registration gave: {@code registration_id} names
     * the instance, {@code user_id} its user. It may only check in for that instance.
     */
    public static final String APP_INSTANCE = "app-instance";
    /** Another system or service of the tenant. */
    public static final String SERVICE = "service";

    private Roles() {}
}
