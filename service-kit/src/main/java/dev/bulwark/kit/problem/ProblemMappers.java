package dev.bulwark.kit.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place that turns exceptions into RFC 9457 problem+json responses for every service. Bad input always gets a
 * 4xx naming the field; only a fault of ours is a 500, and its body never carries a stack trace.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** What a 503 asks the caller to wait, in seconds: long enough for a failover or a restart to begin to show. */
    public static final int RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(Problem.of(e.status(), e.title(), e.getMessage(), path(uri), e.errors()));
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(fieldOf(violation.getPropertyPath()), violation.getMessage()));
        }
        errors.sort(java.util.Comparator.comparing(Problem.FieldError::field));
        String detail =
                errors.stream().map(err -> err.field() + ": " + err.message()).collect(Collectors.joining("; "));
        return respond(Problem.of(400, "Invalid request", detail, path(uri), errors));
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e, UriInfo uri) {
        String field = fieldOf(e);
        String message;
        if (e.getTargetType() != null && e.getTargetType().isEnum()) {
            message = "must be one of " + Arrays.toString(e.getTargetType().getEnumConstants()) + ", was '"
                    + e.getValue() + "'";
        } else {
            message = "cannot read '" + e.getValue() + "' as " + simpleType(e.getTargetType());
        }
        return fieldProblem(field, message, uri);
    }

    @ServerExceptionMapper
    public Response unrecognizedProperty(UnrecognizedPropertyException e, UriInfo uri) {
        return fieldProblem(fieldOf(e), "is not a known field", uri);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        String field = fieldOf(e);
        String message = "has the wrong type; expected " + simpleType(e.getTargetType());
        return fieldProblem(field, message, uri);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return fieldProblem(fieldOf(mapping), "cannot be read: " + e.getOriginalMessage(), uri);
        }
        return respond(Problem.of(
                400,
                "Malformed JSON",
                "The request body is not valid JSON: " + e.getOriginalMessage(),
                path(uri),
                List.of()));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthorizedResponse(uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthorizedResponse(uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(
                Problem.of(403, "Forbidden", "This token's roles do not allow this call.", path(uri), List.of()));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        // Quarkus REST's JSON reader wraps what the parser or the binding refuses (a number too large for its type,
        // nesting too deep, JSON cut short) in a bare 400; the exception it wraps still knows the field.
        if (status == 400 && e.getCause() instanceof StreamReadException unreadable) {
            return unreadableJson(unreadable, uri);
        }
        if (status == 400 && e.getCause() instanceof JsonMappingException unbound) {
            return malformedJson(unbound, uri);
        }
        if (status >= 500) {
            LOG.error("Request failed", e);
        }
        Response.Status.Family family = Response.Status.Family.familyOf(status);
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase()
                : family.name();
        String detail = status >= 500 ? "The request could not be completed." : e.getMessage();
        return respond(Problem.of(status, title, detail, path(uri), List.of()));
    }

    private static Response unreadableJson(StreamReadException e, UriInfo uri) {
        String field = e.getProcessor() == null ? "" : fieldOf(e.getProcessor().getParsingContext());
        if (field.isEmpty()) {
            return respond(Problem.of(
                    400,
                    "Malformed JSON",
                    "The request body is not valid JSON: " + e.getOriginalMessage(),
                    path(uri),
                    List.of()));
        }
        return fieldProblem(field, "cannot be read: " + e.getOriginalMessage(), uri);
    }

    /** {@code configurationProfiles[0].version}: where a parser stood, from the root. */
    static String fieldOf(JsonStreamContext context) {
        List<String> steps = new ArrayList<>();
        for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inObject() && at.getCurrentName() != null) {
                steps.add(0, "." + at.getCurrentName());
            } else if (at.inArray()) {
                steps.add(0, "[" + Math.max(0, at.getCurrentIndex()) + "]");
            }
        }
        String field = String.join("", steps);
        return field.startsWith(".") ? field.substring(1) : field;
    }

    @ServerExceptionMapper
    public Response refusedValue(RefusedValueException e, UriInfo uri) {
        return fieldProblem(fieldOf(e), e.getOriginalMessage(), uri);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        switch (StorageFailure.of(e)) {
            case UNSTORABLE_VALUE -> {
                // The caller's value, refused by PostgreSQL; the transaction rolled back, so nothing was written.
                // Validation should have named the field; this is the safety net, so say what we can.
                LOG.warnf("Refused a value the database cannot store: %s", rootMessage(e));
                return respond(Problem.of(
                        400,
                        "Invalid request",
                        "A value in the request cannot be stored (for example, it contains a NUL character or is too"
                                + " long for its field).",
                        path(uri),
                        List.of()));
            }
            case UNAVAILABLE -> {
                // An outage, not a fault of the request: the caller should try again, and readiness is DOWN meanwhile.
                LOG.warnf("Database unavailable: %s", rootMessage(e));
                return Response.status(503)
                        .type(Problem.MEDIA_TYPE)
                        .header("Retry-After", RETRY_AFTER_SECONDS)
                        .entity(Problem.of(
                                503,
                                "Service unavailable",
                                "The service's database cannot be reached; nothing was changed. Try again later.",
                                path(uri),
                                List.of()))
                        .build();
            }
            default -> {
                // A fault of ours, not of the caller: log it whole, answer without internals.
                LOG.error("Unexpected error", e);
                return respond(
                        Problem.of(500, "Internal error", "The request could not be completed.", path(uri), List.of()));
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getName() + ": " + root.getMessage();
    }

    private static Response unauthorizedResponse(UriInfo uri) {
        Problem problem = Problem.of(
                401, "Unauthorized", "A valid bearer token is required for this call.", path(uri), List.of());
        return Response.status(401)
                .type(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", "Bearer")
                .entity(problem)
                .build();
    }

    private static Response fieldProblem(String field, String message, UriInfo uri) {
        return respond(Problem.of(
                400,
                "Invalid request",
                field + ": " + message,
                path(uri),
                List.of(new Problem.FieldError(field, message))));
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem)
                .build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }

    private static String fieldOf(JsonMappingException e) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.isEmpty() ? "body" : field.toString();
    }

    /** Drops the method and parameter names of a bean-validation path: {@code enroll.request.platform} → {@code platform}. */
    static String fieldOf(Path path) {
        List<String> parts = new ArrayList<>();
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER) {
                if (node.getKind() == ElementKind.PARAMETER) {
                    parts.clear();
                    parts.add(node.getName());
                }
                continue;
            }
            if (parts.size() == 1 && !parts.get(0).contains(".") && isParameterName(parts.get(0), path)) {
                parts.clear();
            }
            // A node inside a list or map carries the index (or key) of the element it belongs to, which is part of
            // the node before it: configurationProfiles[0].version, not configurationProfiles.version[0].
            if (node.isInIterable() && !parts.isEmpty()) {
                Object position = node.getIndex() != null ? node.getIndex() : node.getKey();
                int last = parts.size() - 1;
                parts.set(last, parts.get(last) + "[" + (position == null ? "" : position) + "]");
            }
            String name = node.getKind() == ElementKind.CONTAINER_ELEMENT ? null : node.getName();
            if (name != null) {
                parts.add(name);
            }
        }
        return parts.isEmpty() ? "body" : String.join(".", parts);
    }

    private static boolean isParameterName(String candidate, Path path) {
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.PARAMETER && candidate.equals(node.getName())) {
                return true;
            }
        }
        return false;
    }

    private static String simpleType(Class<?> type) {
        return type == null ? "a value" : type.getSimpleName();
    }
}
