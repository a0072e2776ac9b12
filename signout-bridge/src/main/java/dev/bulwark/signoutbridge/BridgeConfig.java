package dev.bulwark.signoutbridge;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The bridge's settings ({@code bulwark.signout-bridge.*}; environment {@code BULWARK_SIGNOUT_BRIDGE_*}). */
@ConfigMapping(prefix = "bulwark.signout-bridge")
public interface BridgeConfig {

    /** The topic SignOutRequired is published on. */
    @WithDefault("bulwark.signout.v1")
    String topic();

    /** The consumer group: replicas of one bridge share it; a second bridge for another provider takes its own. */
    @WithDefault("bulwark-signout-bridge")
    String groupId();

    /** Where records the bridge can never read go, with the reason in a header. */
    @WithDefault("bulwark.signout-bridge.dlq.v1")
    String deadLetterTopic();

    /** The first wait after the provider failed; doubled at each further failure up to {@link #maxBackoff()}. */
    @WithDefault("PT0.2S")
    Duration initialBackoff();

    @WithDefault("PT30S")
    Duration maxBackoff();

    /** Whether the consumer runs (tests of the adapter alone turn it off). */
    @WithDefault("true")
    boolean enabled();

    Keycloak keycloak();

    /** Keycloak's admin REST API: where it is, which realm serves which tenant, how users and apps are found. */
    interface Keycloak {

        /** Keycloak's base URL, e.g. {@code https://login.example.com} (no {@code /realms/...}). */
        String url();

        /** The realm of every tenant that {@link #tenantRealms()} does not name; none means only those tenants. */
        Optional<String> realm();

        /** Tenant id to realm, for several tenants on one Keycloak ({@code ...tenant-realms.contoso=contoso}). */
        Map<String, String> tenantRealms();

        /**
         * The realm the bridge's own client lives in and gets its token from; its service account needs
         * realm-management's {@code manage-users}, {@code view-users} and {@code view-clients} (to find an app's
         * client) in every realm it serves. Default: the realm of the sign-out.
         */
        Optional<String> authRealm();

        /** The confidential client whose service account calls the admin API. */
        String clientId();

        String clientSecret();

        /**
         * Which attribute of the Keycloak user Bulwark's user id is: {@code username} (when the services map the
         * user from {@code preferred_username}), {@code id} (from {@code sub}) or {@code email}.
         */
        @WithDefault("username")
        UserLookup userLookup();

        /**
         * Bulwark app id to Keycloak client id ({@code ...app-clients."com.contoso.mail"=mail}), so a sign-out that
         * names apps ends only the sessions those apps' clients take part in. A named app without a client here
         * signs the user out of everything: never less than asked.
         */
        Map<String, String> appClients();

        @WithDefault("PT5S")
        Duration timeout();
    }

    /** How Bulwark's user id is looked up at Keycloak. */
    enum UserLookup {
        USERNAME,
        ID,
        EMAIL
    }
}
