package dev.bulwark.policy.support;

import dev.bulwark.kit.problem.Problem;
import dev.bulwark.kit.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Collects every rule a request breaks, so the admin sees all of them at once, each naming its field; then refuses the
 * request as a whole (422) before anything is written or published. A value over a documented maximum (a string too
 * long inside {@code settings}) makes it a 400, the answer Bean Validation gives for the same fault elsewhere.
 */
public final class FieldErrors {

    private final List<Problem.FieldError> errors = new ArrayList<>();
    private boolean overLimit;

    public FieldErrors add(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
        return this;
    }

    /** Adds the error of a string longer than its documented {@code maxLength}: the request becomes a 400. */
    public FieldErrors tooLong(String field, int maxLength) {
        overLimit = true;
        return add(field, "size must be at most " + maxLength + " characters");
    }

    /** Adds the error when {@code broken} is true. */
    public FieldErrors check(boolean broken, String field, String message) {
        if (broken) {
            add(field, message);
        }
        return this;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public List<Problem.FieldError> list() {
        return List.copyOf(errors);
    }

    /** Throws a 422 (400 when a value is over its maximum) problem naming every field at fault, if there is one. */
    public void throwIfAny() {
        if (errors.isEmpty()) {
            return;
        }
        String detail = errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
        if (overLimit) {
            throw new ProblemException(400, "Invalid request", detail, errors);
        }
        throw new ProblemException(422, "Unprocessable request", detail, errors);
    }
}
