package dev.bulwark.kit.paging;

import dev.bulwark.kit.problem.ProblemException;

/**
 * The {@code page} and {@code size} query parameters, read by hand: JAX-RS answers a query parameter that is not a
 * number with a bare 404, where a client deserves a 400 naming the parameter.
 */
public record PageRequest(int page, int size) {

    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 100;

    /** Reads the raw parameters; a missing one takes its default (page 0, size 20). */
    public static PageRequest of(String page, String size) {
        int pageNumber = parse("page", page, 0);
        int pageSize = parse("size", size, DEFAULT_SIZE);
        if (pageNumber < 0) {
            throw ProblemException.badRequest("page", "must be 0 or more, was " + pageNumber);
        }
        if (pageSize < 1 || pageSize > MAX_SIZE) {
            throw ProblemException.badRequest("size", "must be between 1 and " + MAX_SIZE + ", was " + pageSize);
        }
        return new PageRequest(pageNumber, pageSize);
    }

    public int offset() {
        return page * size;
    }

    private static int parse(String name, String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(name, "must be a whole number, was '" + value + "'");
        }
    }
}
