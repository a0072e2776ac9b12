package dev.bulwark.simulator.bench;

/**
 * A subject the bench has joined: a managed device (its deviceId) or an unmanaged app instance (its registrationId),
 * of a user in a tenant, with the check-in path and the credential it reports with (from its enrollment or
 * registration).
 */
public record BenchSubject(String tenantId, String userId, String subjectId, boolean managed, String token) {

    /** device-registry's check-in path for the subject. */
    public String statePath() {
        return managed ? "/api/v1/devices/" + subjectId + "/state" : "/api/v1/app-instances/" + subjectId + "/state";
    }

    /** The check-in body: compliant, or breaking one rule (managed: OS 12 below the minimum 14; app: no PIN). */
    public byte[] report(boolean compliant) {
        String body = managed
                ? "{\"osVersion\":\"" + (compliant ? "15" : "12")
                        + "\",\"encrypted\":true,\"passcodeSet\":true,\"jailbroken\":false,\"installedApps\":[],"
                        + "\"configurationProfiles\":[],\"selectiveWipeResults\":[]}"
                : "{\"osVersion\":\"15\",\"appVersion\":\"" + BenchTenant.APP_VERSION + "\",\"pinSet\":" + compliant
                        + ",\"jailbroken\":false,\"selectiveWipeResults\":[]}";
        return body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Whether a published DeviceStateReported is the compliant kind of {@link #report} (the storm's fix). */
    static boolean compliantReport(org.apache.avro.generic.GenericRecord event) {
        boolean managed = String.valueOf(event.get("managementType")).equals("MANAGED");
        return managed ? "15".equals(String.valueOf(event.get("osVersion"))) : Boolean.TRUE.equals(event.get("pinSet"));
    }
}
