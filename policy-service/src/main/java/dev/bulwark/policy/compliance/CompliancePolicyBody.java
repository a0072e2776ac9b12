package dev.bulwark.policy.compliance;

import java.util.List;

/** The rules and the schedule of actions of a device compliance policy; PolicyChanged.settingsJson in this shape. */
public record CompliancePolicyBody(ComplianceRules rules, List<ScheduledAction> actions) {}
