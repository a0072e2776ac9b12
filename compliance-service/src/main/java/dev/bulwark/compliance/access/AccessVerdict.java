package dev.bulwark.compliance.access;

/** A decision and the message the user is shown with it. */
public record AccessVerdict(AccessDecision decision, String message) {}
