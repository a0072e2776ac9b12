package dev.bulwark.rules;

/**
 * One include or exclude line of a policy, as {@link Targeting} reads it; each service's own line type (a REST
 * record, an event's) implements it.
 */
public interface TargetLine {

    /** Who the line names. */
    TargetScope targetScope();

    /** The group it names, for a group scope; null otherwise. */
    String targetGroup();

    /** Whether the line takes those it names out again rather than in. */
    boolean excluded();
}
