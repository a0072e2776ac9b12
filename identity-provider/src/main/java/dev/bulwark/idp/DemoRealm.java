package dev.bulwark.idp;

import java.util.List;
import java.util.Set;

/**
 * What the imported realm ({@code bulwark-demo-realm.json}) holds, for the launcher's summary and for tests: its name,
 * its clients, the tenant its tokens carry and its demo people. {@code KeycloakServerIT} signs every user here in, so
 * this list and the file cannot drift apart unnoticed.
 */
public final class DemoRealm {

    /** The realm's name; its issuer is {@code <base url>/realms/bulwark-demo}. */
    public static final String NAME = "bulwark-demo";

    /** The resource the realm is imported from. */
    public static final String RESOURCE = "/dev/bulwark/idp/bulwark-demo-realm.json";

    /** The value of the hard-coded {@code tenant_id} claim in every token of {@code bulwark-cli}. */
    public static final String TENANT = "demo";

    /** The audience every {@code bulwark-cli} access token names (besides Keycloak's own {@code account}). */
    public static final String AUDIENCE = "bulwark";

    /** The public client people and devices use: password (direct access) grant and device-code grant. */
    public static final String CLI_CLIENT = "bulwark-cli";

    /** The confidential client of the sign-out bridge: a service account with realm-management manage-users, view-users and view-clients. */
    public static final String SIGNOUT_BRIDGE_CLIENT = "bulwark-signout-bridge";

    /** The bridge client's secret; a demo value for the local stack only, never for a real deployment. */
    public static final String SIGNOUT_BRIDGE_SECRET = "bulwark-signout-bridge-demo-secret";

    /** The realm role of Bulwark's administrators. */
    public static final String ADMIN_ROLE = "bulwark-admin";

    /** The realm role of every demo person. */
    public static final String USER_ROLE = "bulwark-user";

    /** A demo person with a fixed password, the groups they are in and the realm roles they hold. */
    public record DemoUser(String username, String password, Set<String> groups, Set<String> roles) {}

    /** The demo people: one administrator and two users. */
    public static final List<DemoUser> USERS = List.of(
            new DemoUser("ada", "ada-demo-password", Set.of("engineering"), Set.of(ADMIN_ROLE, USER_ROLE)),
            new DemoUser("alice", "alice-demo-password", Set.of("sales"), Set.of(USER_ROLE)),
            new DemoUser("bob", "bob-demo-password", Set.of("engineering", "contractors"), Set.of(USER_ROLE)));

    private DemoRealm() {}
}
