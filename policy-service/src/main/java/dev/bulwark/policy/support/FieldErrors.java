package dev.bulwark.policy.support;

import dev.bulwark.kit.problem.Problem;
import dev.bulwark.kit.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Collects every rule a request breaks, so the admin sees all of them at once, each naming its field; then refuses the
 * request as a whole (422) before anything is written or published.
 */
public final class FieldErrors {

    private final List<Problem.FieldError> errors = new ArrayList<>();

    public FieldErrors add(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
        return this;
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

    /** Throws a 422 problem naming every field at fault, if there is one. */
    public void throwIfAny() {
        if (errors.isEmpty()) {
            return;
        }
        String detail = errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
        throw new ProblemException(422, "Unprocessable request", detail, errors);
    }
}
