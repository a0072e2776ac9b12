package dev.bulwark.kit.consumer;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * The operator's view of this service's dead-letter topic: list the dead letters with their reasons, re-drive them
 * through the service's own consumers. Dead letters belong to every tenant (or to none: an undecodable record has no
 * tenant), so only the {@value #OPERATOR} role may read or re-drive them, never a tenant admin.
 */
@Path("/api/v1/admin/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(DeadLetterResource.OPERATOR)
public class DeadLetterResource {

    /** The role of the people who run the service (not of any tenant). */
    public static final String OPERATOR = "operator";

    private final DeadLetterRedrive redrive;

    DeadLetterResource(DeadLetterRedrive redrive) {
        this.redrive = redrive;
    }

    @GET
    /** The records on this service's dead-letter topic, with their reasons and whether each was re-driven. */
    public List<DeadLetter> list() {
        return redrive.list();
    }

    @POST
    @Path("/redrive")
    /** Applies every dead letter not re-driven before through the consumer of its source topic, once each. */
    public Redrive redrive() {
        return redrive.redrive();
    }
}
