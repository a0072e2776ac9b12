package dev.bulwark.assignment.portal;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Serves the web Company Portal page, the only portal for unmanaged devices. The page itself holds no data: its script
 * calls /api/v1/me/apps with the user's bearer token, so the page can be public.
 */
@Path("/portal")
@PermitAll
public class WebPortalPage {

    private final String html;

    WebPortalPage() {
        try (InputStream in = WebPortalPage.class.getResourceAsStream("/portal/index.html")) {
            if (in == null) {
                throw new IllegalStateException("portal/index.html is missing from the classpath");
            }
            html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The web Company Portal (HTML)")
    public String page() {
        return html;
    }
}
