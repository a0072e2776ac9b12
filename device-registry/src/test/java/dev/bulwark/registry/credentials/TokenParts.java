package dev.bulwark.registry.credentials;

import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** The header and claims of a compact JWT, read without verifying it: what a credential says about itself. */
final class TokenParts {

    private TokenParts() {}

    static Map<String, Object> header(String token) {
        return part(token, 0);
    }

    static Map<String, Object> claims(String token) {
        return part(token, 1);
    }

    private static Map<String, Object> part(String token, int index) {
        return new JsonPath(
                        new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8))
                .getMap("");
    }
}
