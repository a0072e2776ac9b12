package dev.bulwark.testsupport.fuzz;

/**
 * The ways the fuzzer breaks a valid request, each making it invalid by construction: no correct service may accept
 * any of them. {@link #namesField()} says whether a 400 for it must name the broken field, because the service can
 * know which one it was.
 */
public enum MutationKind {
    /** A JSON value of a type the field cannot take (an object for a string, a word for a number …). */
    WRONG_TYPE(true),
    /** {@code null} for a required field, or an array item, whose schema does not allow null. */
    NULL_NOT_ALLOWED(true),
    /** A required field left out. */
    MISSING_REQUIRED(true),
    /** A string one character over its maxLength, or 100,000 characters when it declares none. */
    OVERSIZE_STRING(true),
    /** An array one item over its maxItems, or 1,000 items when it declares none. */
    OVERSIZE_ARRAY(true),
    /** A NUL character ({@code \u0000}) inside a string, which PostgreSQL cannot store. */
    NUL_IN_STRING(true),
    /** A value that is not one of the enum's. */
    UNKNOWN_ENUM(true),
    /** A string that does not match the field's pattern, or its format (date-time, uuid, duration …). */
    PATTERN_MISMATCH(true),
    /** A number below the field's minimum. */
    BELOW_MINIMUM(true),
    /** A number above the field's maximum. */
    ABOVE_MAXIMUM(true),
    /** A whole number too large for any integer type of the field's format. */
    NUMBER_OVERFLOW(true),
    /** A field the schema does not have. */
    UNKNOWN_FIELD(true),
    /** A body that is not JSON (cut short). */
    MALFORMED_JSON(false),
    /** No body at all where one is required. */
    EMPTY_BODY(false),
    /** An array or a string where the body must be an object. */
    WRONG_ROOT_TYPE(false),
    /** Arrays nested 5,000 deep. */
    DEEP_NESTING(false),
    /** The valid body sent as text/plain. */
    WRONG_CONTENT_TYPE(false),
    /** A body over the HTTP layer's size limit. */
    BODY_TOO_LARGE(false),
    /** A path id one over its maxLength, or 3,000 characters (still inside the request line limit). */
    PATH_LONG_ID(false),
    /** A path id of 10,000 characters: a request line over the HTTP layer's limit. */
    PATH_REQUEST_LINE_TOO_LONG(false),
    /** A path id with an encoded NUL ({@code %00}). */
    PATH_NUL(false),
    /** A path id with a percent sign not followed by two hex digits. */
    PATH_BAD_PERCENT(false),
    /** A path id whose percent-encoded bytes are not UTF-8. */
    PATH_BAD_UTF8(false),
    /** A path id of {@code ..} (sent raw, so the server sees it; skipped where it would resolve to another route). */
    PATH_DOT_DOT(false),
    /** A path id of encoded traversal ({@code ..%2F..%2F…}). */
    PATH_ENCODED_TRAVERSAL(false),
    /** A query value of the wrong type (a word for a number). */
    QUERY_WRONG_TYPE(false),
    /** A query value with an encoded NUL. */
    QUERY_NUL(false),
    /** A query value one over its maxLength, or 3,000 characters. */
    QUERY_OVERSIZE(false),
    /** A query value that is not one of the enum's. */
    QUERY_UNKNOWN_ENUM(false),
    /** A query value with a percent sign not followed by two hex digits. */
    QUERY_BAD_PERCENT(false),
    /** A query number outside its declared minimum/maximum, or too large for any integer. */
    QUERY_OUT_OF_RANGE(false),
    /** A required query parameter left out. */
    QUERY_MISSING_REQUIRED(false);

    private final boolean namesField;

    MutationKind(boolean namesField) {
        this.namesField = namesField;
    }

    public boolean namesField() {
        return namesField;
    }
}
