package dev.bulwark.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.infra.DevKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenRequestTest {

    @TempDir
    Path keys;

    @Test
    void eachRoleGetsItsUsualSubject() {
        assertThat(TokenRequest.of("t", Role.ADMIN, Optional.empty(), Optional.empty())
                        .subject())
                .isEqualTo("admin@t");
        assertThat(TokenRequest.of("t", Role.USER, Optional.empty(), Optional.empty())
                        .subject())
                .isEqualTo("user@t");
        assertThat(TokenRequest.of("t", Role.SERVICE, Optional.empty(), Optional.empty())
                        .subject())
                .isEqualTo("local-stack");
        assertThat(TokenRequest.device("t", "dev-1").subject()).isEqualTo("dev-1");
        assertThat(TokenRequest.of("t", Role.USER, Optional.of("alice"), Optional.empty())
                        .subject())
                .isEqualTo("alice");
    }

    @Test
    void aMintedDeviceTokenCarriesTenantRoleSubjectDeviceAndIssuer() {
        String token = TokenRequest.device("acme", "dev-9")
                .withTtl(Duration.ofMinutes(3))
                .mintWith(DevKeys.loadOrCreate(keys));

        String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(claims)
                .contains("\"tenant_id\":\"acme\"")
                .contains("\"groups\":[\"device\"]")
                .contains("\"sub\":\"dev-9\"")
                .contains("\"device_id\":\"dev-9\"")
                .contains("\"iss\":\"" + DevKeys.DEFAULT_ISSUER + "\"");
    }

    @Test
    void emptyTenantsAndDevicelessDeviceTokensAreRefused() {
        assertThatThrownBy(() -> TokenRequest.admin(" ")).hasMessageContaining("tenant");
        assertThatThrownBy(() -> TokenRequest.of("t", Role.DEVICE, Optional.of("x"), Optional.empty()))
                .hasMessageContaining("device id");
        assertThatThrownBy(() -> TokenRequest.admin("t").withTtl(Duration.ZERO)).hasMessageContaining("positive");
    }
}
