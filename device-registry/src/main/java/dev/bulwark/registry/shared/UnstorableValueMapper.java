package dev.bulwark.registry.shared;

import dev.bulwark.kit.problem.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.hibernate.exception.DataException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A value PostgreSQL refuses to store (SQLSTATE class 22: a NUL character, an impossible number) came from the
 * caller, not from us: answer 400 rather than the shared mapper's 500. The transaction has rolled back already, so
 * nothing was written.
 */
public class UnstorableValueMapper {

    private static final Logger LOG = Logger.getLogger(UnstorableValueMapper.class);

    @ServerExceptionMapper
    public Response unstorable(DataException e, UriInfo uri) {
        LOG.warnf(
                "Refused a value the database cannot store: %s",
                e.getSQLException().getMessage());
        Problem problem = Problem.of(
                400,
                "Invalid request",
                "A value in the request cannot be stored (for example, it contains a NUL character).",
                uri == null ? null : uri.getRequestUri().getRawPath(),
                List.of());
        return Response.status(400).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
