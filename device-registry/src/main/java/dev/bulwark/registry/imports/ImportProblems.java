package dev.bulwark.registry.imports;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.kit.problem.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Renders {@link ImportRejected} as the shared problem+json body plus a {@code line} member (RFC 9457 allows
 * extension members), so an identity provider's operator can go straight to the line at fault.
 */
public class ImportProblems {

    /** The shared problem shape with the number of the line at fault. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImportProblem(
            String type,
            String title,
            int status,
            String detail,
            String instance,
            long line,
            List<Problem.FieldError> errors) {}

    @ServerExceptionMapper
    public Response rejected(ImportRejected e, UriInfo uri) {
        Problem base = Problem.of(
                e.status(),
                e.status() == 400 ? "Invalid import line" : "Unprocessable import line",
                e.getMessage(),
                uri == null ? null : uri.getRequestUri().getRawPath(),
                e.errors());
        ImportProblem problem = new ImportProblem(
                base.type(), base.title(), base.status(), base.detail(), base.instance(), e.line(), base.errors());
        return Response.status(e.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem)
                .build();
    }
}
