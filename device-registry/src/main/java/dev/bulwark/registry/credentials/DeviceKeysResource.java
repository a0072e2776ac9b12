package dev.bulwark.registry.credentials;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The public keys of device credentials, as a JWKS: what the other services (and anyone checking a device's token)
 * verify them with ({@code bulwark.device-credentials.jwks-uri}). Public by nature; no token needed.
 */
@Path("/.well-known/jwks.json")
@Tag(name = "Device credentials")
public class DeviceKeysResource {

    private final DeviceCredentialIssuer issuer;

    DeviceKeysResource(DeviceCredentialIssuer issuer) {
        this.issuer = issuer;
    }

    @GET
    @PermitAll
    @Produces({MediaType.APPLICATION_JSON, "application/jwk-set+json"})
    @Operation(
            summary = "The keys device credentials are signed with (JWKS)",
            description = "The current signing key first, then keys of a rotation still trusted. Each key is EC P-256"
                    + " (ES256) with its kid, the key's RFC 7638 thumbprint.")
    public Response keys() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        Map<String, Object> jwks = issuer.jwks();
        return Response.ok(jwks).cacheControl(cache).build();
    }
}
