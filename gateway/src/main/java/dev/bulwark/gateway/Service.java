package dev.bulwark.gateway;

/** The four services behind the gateway, by the name their module, process and configuration use. */
public enum Service {
    DEVICE_REGISTRY("device-registry"),
    ASSIGNMENT_SERVICE("assignment-service"),
    POLICY_SERVICE("policy-service"),
    COMPLIANCE_SERVICE("compliance-service");

    private final String moduleName;

    Service(String moduleName) {
        this.moduleName = moduleName;
    }

    /** e.g. {@code device-registry}: the module, the process, and the key of its upstream address in the config. */
    public String moduleName() {
        return moduleName;
    }
}
