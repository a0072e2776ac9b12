package dev.bulwark.kit.validation;

/**
 * The one convention for how long a request's strings and lists may be, in every service. Request records put these on
 * their components with {@code @Size(max = Limits.X)}, path and query parameters too, so Bean Validation refuses a
 * longer value with a 400 naming the field, and the OpenAPI document shows it as {@code maxLength} / {@code maxItems}.
 * A field with a tighter rule of its own (a pattern, a smaller size) keeps it.
 */
public final class Limits {

    /** An identifier: app, group, user, device, policy, assignment ids, store and package references. */
    public static final int ID = 128;
    /** A name a person reads: a display name, an app's name or publisher, a resource name. */
    public static final int NAME = 200;
    /** Free text: a description, release notes, a comment, a reason. */
    public static final int TEXT = 2000;
    /** A short token: an enum-like value, a version, a number sent as text (page, size), a platform. */
    public static final int SHORT = 64;
    /** A list in a request: targets, ids, settings entries. Larger lists need a limit of their own, documented. */
    public static final int LIST = 200;
    /** A URL (a store link, a package location). */
    public static final int URL = 2048;

    private Limits() {}
}
