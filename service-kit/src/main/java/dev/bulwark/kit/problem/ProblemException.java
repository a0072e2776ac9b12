package dev.bulwark.kit.problem;

import java.util.List;

/**
 * A refusal with an HTTP status, a title and a human-readable detail, optionally naming the fields at fault. Thrown by
 * domain code before anything is written, and rendered as problem+json by {@link ProblemMappers}.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<Problem.FieldError> errors;

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public ProblemException(int status, String title, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ProblemException badRequest(String field, String detail) {
        return new ProblemException(
                400, "Invalid request", field + ": " + detail, List.of(new Problem.FieldError(field, detail)));
    }

    public static ProblemException unprocessable(String field, String detail) {
        return new ProblemException(
                422, "Unprocessable request", field + ": " + detail, List.of(new Problem.FieldError(field, detail)));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

    /** 401: the caller's credential is not (or no longer) accepted. */
    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "Unauthorized", detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
