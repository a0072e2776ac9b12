package dev.bulwark.policy.configuration;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.policy.support.FieldErrors;
import dev.bulwark.rules.OsPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Checks the settings of a profile for its type and platform and writes them out complete and in a fixed order, so
 * that an unchanged profile compares equal. A secret value (Wi-Fi {@code preSharedKey}, VPN {@code sharedSecret},
 * email {@code password}) is taken out and replaced by {@code secretRef: "bulwark-secret:<id>"}; the value itself goes
 * only to the profile_secret table.
 */
final class ProfileSettings {

    /** The prefix of a reference to a secret this service keeps. */
    static final String SECRET_SCHEME = "bulwark-secret:";

    private static final Pattern HOST =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*(:\\d{1,5})?");
    private static final Pattern EMAIL =
            Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}|\\{\\{(mail|userPrincipalName)\\}\\}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Password complexity, weakest first: the order decides which of two is more restrictive. */
    enum Complexity {
        NONE,
        NUMERIC,
        ALPHANUMERIC,
        COMPLEX
    }

    enum WifiSecurity {
        OPEN,
        WPA2_PERSONAL,
        WPA2_ENTERPRISE,
        WPA3_PERSONAL,
        WPA3_ENTERPRISE;

        boolean personal() {
            return name().endsWith("_PERSONAL");
        }

        boolean enterprise() {
            return name().endsWith("_ENTERPRISE");
        }
    }

    enum VpnConnectionType {
        IKEV2,
        L2TP,
        IPSEC,
        CISCO_ANYCONNECT,
        PALO_ALTO_GLOBALPROTECT,
        F5_ACCESS
    }

    enum VpnAuthentication {
        CERTIFICATE,
        USERNAME_PASSWORD,
        SHARED_SECRET
    }

    enum EmailAccountType {
        EXCHANGE_ACTIVESYNC,
        IMAP
    }

    enum EmailAuthentication {
        PASSWORD,
        CERTIFICATE,
        OAUTH
    }

    /** The VPN connection types each platform's built-in or store client supports. */
    static final Map<OsPlatform, Set<VpnConnectionType>> VPN_TYPES = Map.of(
            OsPlatform.ANDROID,
                    EnumSet.of(
                            VpnConnectionType.CISCO_ANYCONNECT,
                            VpnConnectionType.PALO_ALTO_GLOBALPROTECT,
                            VpnConnectionType.F5_ACCESS),
            OsPlatform.IOS,
                    EnumSet.of(
                            VpnConnectionType.IKEV2,
                            VpnConnectionType.IPSEC,
                            VpnConnectionType.CISCO_ANYCONNECT,
                            VpnConnectionType.PALO_ALTO_GLOBALPROTECT,
                            VpnConnectionType.F5_ACCESS),
            OsPlatform.MACOS, EnumSet.allOf(VpnConnectionType.class),
            OsPlatform.WINDOWS,
                    EnumSet.of(
                            VpnConnectionType.IKEV2,
                            VpnConnectionType.L2TP,
                            VpnConnectionType.CISCO_ANYCONNECT,
                            VpnConnectionType.PALO_ALTO_GLOBALPROTECT,
                            VpnConnectionType.F5_ACCESS));

    /** A secret value to store under {@code id}; never logged, never returned. */
    record NewSecret(String id, String field, String value) {
        @Override
        public String toString() {
            return "NewSecret[" + id + ", " + field + "]";
        }
    }

    /** The complete settings to store, and the secret values they now name by reference. */
    record Checked(ObjectNode settings, List<NewSecret> secrets) {}

    private ProfileSettings() {}

    /**
     * Checks {@code settings} for a profile of {@code type} on {@code platform}. {@code knownSecret} answers whether a
     * {@code bulwark-secret:} reference names a secret of this profile (only a replaced profile has any).
     */
    static Checked check(
            ProfileType type,
            OsPlatform platform,
            ObjectNode settings,
            Predicate<String> knownSecret,
            FieldErrors errors) {
        SettingsReader in = new SettingsReader(settings, errors);
        ObjectNode out = NODES.objectNode();
        List<NewSecret> secrets = new ArrayList<>();
        switch (type) {
            case PASSWORD -> password(in, platform, out, errors);
            case WIFI -> wifi(in, out, secrets, knownSecret, errors);
            case VPN -> vpn(in, platform, out, secrets, knownSecret, errors);
            case EMAIL -> email(in, platform, out, secrets, knownSecret, errors);
        }
        in.rejectUnknown(type);
        return new Checked(out, List.copyOf(secrets));
    }

    private static void password(SettingsReader in, OsPlatform platform, ObjectNode out, FieldErrors errors) {
        int maxLength = platform == OsPlatform.WINDOWS ? 127 : 16;
        in.integer("minimumLength", true, 4, maxLength).ifPresent(v -> out.put("minimumLength", v));
        in.choice("complexity", true, Complexity.class).ifPresent(v -> out.put("complexity", v.name()));
        in.period("expiry", true, Duration.ofDays(1), Duration.ofDays(730)).ifPresent(v -> out.put("expiry", v.text()));
        in.integer("historyCount", false, 0, 24).ifPresent(v -> out.put("historyCount", v));
        Duration maxIdle = platform == OsPlatform.IOS ? Duration.ofMinutes(15) : Duration.ofHours(8);
        in.period("lockAfterIdle", false, Duration.ofMinutes(1), maxIdle)
                .ifPresent(v -> out.put("lockAfterIdle", v.text()));
    }

    private static void wifi(
            SettingsReader in,
            ObjectNode out,
            List<NewSecret> secrets,
            Predicate<String> knownSecret,
            FieldErrors errors) {
        in.text("ssid", true, 32).ifPresent(v -> out.put("ssid", v));
        Optional<WifiSecurity> security = in.choice("security", true, WifiSecurity.class);
        security.ifPresent(v -> out.put("security", v.name()));
        out.put("hidden", in.bool("hidden").orElse(false));
        out.put("autoConnect", in.bool("autoConnect").orElse(true));
        Optional<String> certificate = in.reference("certificateRef");
        Optional<String> secretRef = secretRef(in, "preSharedKey", 8, 63, secrets, knownSecret, errors);
        if (security.isEmpty()) {
            return;
        }
        WifiSecurity s = security.get();
        if (s == WifiSecurity.OPEN) {
            errors.check(certificate.isPresent(), "settings.certificateRef", "must be absent on an OPEN network");
            errors.check(
                    secretRef.isPresent(),
                    "settings.secretRef",
                    "must be absent on an OPEN network (no preSharedKey either)");
        } else if (s.personal()) {
            errors.check(
                    secretRef.isEmpty() && !in.has("preSharedKey"),
                    "settings.preSharedKey",
                    "is required for " + s + " (or a secretRef to a key kept elsewhere)");
            errors.check(certificate.isPresent(), "settings.certificateRef", "is for enterprise networks, not " + s);
        } else {
            errors.check(
                    certificate.isEmpty() && secretRef.isEmpty(),
                    "settings.certificateRef",
                    "a certificateRef (or a secretRef to the credentials) is required for " + s);
            errors.check(
                    in.has("preSharedKey"),
                    "settings.preSharedKey",
                    "is for personal networks, not " + s + "; give a secretRef");
        }
        certificate.ifPresent(v -> out.put("certificateRef", v));
        secretRef.ifPresent(v -> out.put("secretRef", v));
    }

    private static void vpn(
            SettingsReader in,
            OsPlatform platform,
            ObjectNode out,
            List<NewSecret> secrets,
            Predicate<String> knownSecret,
            FieldErrors errors) {
        in.text("connectionName", true, 100).ifPresent(v -> out.put("connectionName", v));
        Optional<VpnConnectionType> type = in.choice("connectionType", true, VpnConnectionType.class);
        type.ifPresent(v -> {
            if (VPN_TYPES.get(platform).contains(v)) {
                out.put("connectionType", v.name());
            } else {
                errors.add(
                        "settings.connectionType",
                        v + " is not available on " + platform + "; one of " + VPN_TYPES.get(platform));
            }
        });
        in.text("server", true, HOST, "a host name or address, optionally with :port")
                .ifPresent(v -> out.put("server", v));
        Optional<VpnAuthentication> auth = in.choice("authenticationMethod", true, VpnAuthentication.class);
        auth.ifPresent(v -> out.put("authenticationMethod", v.name()));
        Optional<String> certificate = in.reference("certificateRef");
        Optional<String> secretRef = secretRef(in, "sharedSecret", 1, 1024, secrets, knownSecret, errors);
        if (auth.isPresent()) {
            if (auth.get() == VpnAuthentication.CERTIFICATE) {
                errors.check(certificate.isEmpty(), "settings.certificateRef", "is required for CERTIFICATE");
                errors.check(
                        secretRef.isPresent(), "settings.secretRef", "must be absent for CERTIFICATE authentication");
            } else {
                errors.check(
                        secretRef.isEmpty() && !in.has("sharedSecret"),
                        "settings.sharedSecret",
                        "is required for " + auth.get() + " (or a secretRef to a credential kept elsewhere)");
                errors.check(
                        certificate.isPresent(),
                        "settings.certificateRef",
                        "is for CERTIFICATE authentication, not " + auth.get());
            }
            if (auth.get() == VpnAuthentication.SHARED_SECRET
                    && type.isPresent()
                    && type.get() != VpnConnectionType.IPSEC
                    && type.get() != VpnConnectionType.L2TP) {
                errors.add("settings.authenticationMethod", "SHARED_SECRET is for IPSEC and L2TP, not " + type.get());
            }
        }
        certificate.ifPresent(v -> out.put("certificateRef", v));
        secretRef.ifPresent(v -> out.put("secretRef", v));
    }

    private static void email(
            SettingsReader in,
            OsPlatform platform,
            ObjectNode out,
            List<NewSecret> secrets,
            Predicate<String> knownSecret,
            FieldErrors errors) {
        Optional<EmailAccountType> type = in.choice("accountType", true, EmailAccountType.class);
        type.ifPresent(v -> {
            if (v == EmailAccountType.IMAP && platform != OsPlatform.IOS && platform != OsPlatform.MACOS) {
                errors.add("settings.accountType", "IMAP accounts are configured on IOS and MACOS only");
            } else {
                out.put("accountType", v.name());
            }
        });
        in.text("server", true, HOST, "a host name or address, optionally with :port")
                .ifPresent(v -> out.put("server", v));
        in.text("emailAddress", true, EMAIL, "an email address or {{mail}} / {{userPrincipalName}}")
                .ifPresent(v -> out.put("emailAddress", v));
        in.text("username", false, 320).ifPresent(v -> out.put("username", v));
        out.put("ssl", in.bool("ssl").orElse(true));
        Optional<EmailAuthentication> auth = in.choice("authenticationMethod", true, EmailAuthentication.class);
        auth.ifPresent(v -> out.put("authenticationMethod", v.name()));
        Optional<String> certificate = in.reference("certificateRef");
        Optional<String> secretRef = secretRef(in, "password", 1, 1024, secrets, knownSecret, errors);
        if (auth.isPresent()) {
            EmailAuthentication a = auth.get();
            errors.check(
                    a == EmailAuthentication.PASSWORD && secretRef.isEmpty() && !in.has("password"),
                    "settings.password",
                    "is required for PASSWORD (or a secretRef to a credential kept elsewhere)");
            errors.check(
                    a == EmailAuthentication.CERTIFICATE && certificate.isEmpty(),
                    "settings.certificateRef",
                    "is required for CERTIFICATE");
            errors.check(
                    a != EmailAuthentication.PASSWORD && secretRef.isPresent(),
                    "settings.secretRef",
                    "is for PASSWORD authentication, not " + a);
            errors.check(
                    a != EmailAuthentication.CERTIFICATE && certificate.isPresent(),
                    "settings.certificateRef",
                    "is for CERTIFICATE authentication, not " + a);
        }
        certificate.ifPresent(v -> out.put("certificateRef", v));
        secretRef.ifPresent(v -> out.put("secretRef", v));
    }

    /**
     * The reference the stored settings carry for the secret: a new one for a value given in {@code valueField}, or
     * the {@code secretRef} given. Both at once is refused; a {@code bulwark-secret:} reference must name a secret of
     * this profile.
     */
    private static Optional<String> secretRef(
            SettingsReader in,
            String valueField,
            int minLength,
            int maxLength,
            List<NewSecret> secrets,
            Predicate<String> knownSecret,
            FieldErrors errors) {
        Optional<String> value = in.secret(valueField, minLength, maxLength);
        Optional<String> reference = in.reference("secretRef");
        if (in.has(valueField) && in.has("secretRef")) {
            errors.add("settings.secretRef", "give either " + valueField + " (a new value) or secretRef, not both");
            return Optional.empty();
        }
        if (reference.isPresent() && reference.get().startsWith(SECRET_SCHEME) && !knownSecret.test(reference.get())) {
            errors.add(
                    "settings.secretRef",
                    "'" + reference.get() + "' is not a secret of this profile; give " + valueField + " instead");
            return Optional.empty();
        }
        if (value.isPresent()) {
            String id = UUID.randomUUID().toString();
            secrets.add(new NewSecret(id, valueField, value.get()));
            return Optional.of(SECRET_SCHEME + id);
        }
        return reference;
    }
}
