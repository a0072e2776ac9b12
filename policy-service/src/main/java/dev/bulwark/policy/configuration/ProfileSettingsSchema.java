package dev.bulwark.policy.configuration;

import dev.bulwark.kit.validation.Limits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The OpenAPI shape of a configuration profile's {@code settings}: every setting of every profile type, each with its
 * bound. Documentation only: the request keeps the settings as JSON and {@link ProfileSettings} checks them for the
 * profile's type (a setting of another type is refused as unknown) with the same limits, so the two must change
 * together. Over-long strings are a 400, other faults a 422, each naming {@code settings.<name>}.
 */
@Schema(
        name = "ProfileSettings",
        additionalProperties = Schema.False.class,
        description = "Settings of the profile's type. PASSWORD: minimumLength, complexity, expiry, historyCount,"
                + " lockAfterIdle. WIFI: ssid, security, hidden, autoConnect, certificateRef, preSharedKey, secretRef."
                + " VPN: connectionName, connectionType, server, authenticationMethod, certificateRef, sharedSecret,"
                + " secretRef. EMAIL: accountType, server, emailAddress, username, ssl, authenticationMethod,"
                + " certificateRef, password, secretRef. A setting of another type is refused.")
record ProfileSettingsSchema(
        // PASSWORD
        @Min(4) @Max(127) Integer minimumLength,
        ProfileSettings.Complexity complexity,
        @Schema(description = "ISO-8601 duration (P90D) or a whole number of days, 1 day to 730 days")
                @Size(max = SettingsReader.PERIOD_MAX_LENGTH)
                String expiry,
        @Min(0) @Max(24) Integer historyCount,
        @Schema(description = "ISO-8601 duration (PT5M)") @Size(max = SettingsReader.PERIOD_MAX_LENGTH)
                String lockAfterIdle,
        // WIFI
        @Size(max = 32) String ssid,
        ProfileSettings.WifiSecurity security,
        Boolean hidden,
        Boolean autoConnect,
        @Schema(writeOnly = true) @Size(min = 8, max = 63) String preSharedKey,
        // VPN
        @Size(max = 100) String connectionName,
        ProfileSettings.VpnConnectionType connectionType,
        @Schema(writeOnly = true) @Size(max = 1024) String sharedSecret,
        // EMAIL
        ProfileSettings.EmailAccountType accountType,
        @Schema(description = "An email address or {{mail}} / {{userPrincipalName}}")
                @Size(max = SettingsReader.FORMATTED_MAX_LENGTH)
                String emailAddress,
        @Size(max = 320) String username,
        Boolean ssl,
        @Schema(writeOnly = true) @Size(max = 1024) String password,
        // shared by several types
        @Schema(description = "VPN and EMAIL: a host name or address, optionally with :port")
                @Size(max = SettingsReader.FORMATTED_MAX_LENGTH)
                String server,
        @Schema(
                        description = "VPN: CERTIFICATE, USERNAME_PASSWORD or SHARED_SECRET;"
                                + " EMAIL: PASSWORD, CERTIFICATE or OAUTH",
                        enumeration = {"CERTIFICATE", "USERNAME_PASSWORD", "SHARED_SECRET", "PASSWORD", "OAUTH"})
                @Size(max = Limits.SHORT)
                String authenticationMethod,
        @Schema(description = "A reference such as vault:wifi/corp") @Size(max = SettingsReader.FORMATTED_MAX_LENGTH)
                String certificateRef,
        @Schema(description = "A reference to a secret kept elsewhere, or bulwark-secret:<id> of this profile")
                @Size(max = SettingsReader.FORMATTED_MAX_LENGTH)
                String secretRef) {}
