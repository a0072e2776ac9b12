package dev.bulwark.contract;

import dev.bulwark.events.AppInstallRequested;
import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.AppUninstallRequested;
import dev.bulwark.events.AppUpdateRequested;
import dev.bulwark.events.AssignmentChanged;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.ComplianceRestored;
import dev.bulwark.events.ConfigurationProfileApplyRequested;
import dev.bulwark.events.ConfigurationProfileRemoveRequested;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.DeviceRetired;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.ManagedRemediationRequested;
import dev.bulwark.events.PolicyChanged;
import dev.bulwark.events.RemediationAttempted;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.events.UnmanagedRemediationRequested;
import dev.bulwark.events.UserAccountChanged;
import dev.bulwark.events.UserLicenseChanged;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one place that names every topic of the public contract, with its key, its partition count and the event
 * records it carries. Events of one aggregate go to one topic, so each record type appears in exactly one topic.
 */
public final class Topics {

    public static final String DEVICES = "bulwark.devices.v1";
    public static final String DIRECTORY = "bulwark.directory.v1";
    public static final String ASSIGNMENTS = "bulwark.assignments.v1";
    public static final String MDM_COMMANDS = "bulwark.mdm-commands.v1";
    public static final String MAM_COMMANDS = "bulwark.mam-commands.v1";
    public static final String POLICIES = "bulwark.policies.v1";
    public static final String COMPLIANCE = "bulwark.compliance.v1";
    public static final String SIGNOUT = "bulwark.signout.v1";

    /** Devices and app instances are the busiest aggregates; twelve partitions let many replicas share them. */
    public static final int DEVICES_PARTITIONS = 12;

    public static final int DEFAULT_PARTITIONS = 6;
    public static final int DEAD_LETTER_PARTITIONS = 3;

    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private static final List<TopicSpec> CATALOGUE = List.of(
            new TopicSpec(
                    DEVICES,
                    "deviceId or registrationId",
                    DEVICES_PARTITIONS,
                    List.of(
                            DeviceEnrolled.class,
                            DeviceRetired.class,
                            AppInstanceRegistered.class,
                            DeviceStateReported.class)),
            new TopicSpec(
                    DIRECTORY,
                    "userId (deviceId for device-group memberships)",
                    DEFAULT_PARTITIONS,
                    List.of(UserLicenseChanged.class, GroupMembershipChanged.class, UserAccountChanged.class)),
            new TopicSpec(ASSIGNMENTS, "appId", DEFAULT_PARTITIONS, List.of(AssignmentChanged.class)),
            new TopicSpec(
                    MDM_COMMANDS,
                    "deviceId",
                    DEFAULT_PARTITIONS,
                    List.of(
                            AppInstallRequested.class,
                            AppUninstallRequested.class,
                            AppUpdateRequested.class,
                            ManagedRemediationRequested.class,
                            ConfigurationProfileApplyRequested.class,
                            ConfigurationProfileRemoveRequested.class)),
            new TopicSpec(
                    MAM_COMMANDS, "registrationId", DEFAULT_PARTITIONS, List.of(UnmanagedRemediationRequested.class)),
            new TopicSpec(POLICIES, "policyId", DEFAULT_PARTITIONS, List.of(PolicyChanged.class)),
            new TopicSpec(
                    COMPLIANCE,
                    "subjectId (deviceId or registrationId)",
                    DEFAULT_PARTITIONS,
                    List.of(ComplianceFailed.class, RemediationAttempted.class, ComplianceRestored.class)),
            new TopicSpec(SIGNOUT, "userId", DEFAULT_PARTITIONS, List.of(SignOutRequired.class)));

    private Topics() {}

    /** Every topic of the contract, in a stable order. Dead-letter topics are not part of it. */
    public static List<TopicSpec> catalogue() {
        return CATALOGUE;
    }

    /** The topic with this name, if it is in the catalogue. */
    public static Optional<TopicSpec> spec(String name) {
        return CATALOGUE.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * The topic that carries events of this type.
     *
     * @throws IllegalArgumentException if the type is not an event of the contract
     */
    public static TopicSpec topicOf(Class<? extends SpecificRecord> type) {
        return CATALOGUE.stream()
                .filter(t -> t.carries(type))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(type.getName() + " is not in the topic catalogue"));
    }

    /** Every event type of the contract, topic by topic. */
    public static List<Class<? extends SpecificRecord>> eventTypes() {
        return CATALOGUE.stream().flatMap(t -> t.recordTypes().stream()).toList();
    }

    /**
     * The dead-letter topic of a service, e.g. {@code bulwark.compliance-service.dlq.v1} for
     * {@code compliance-service}.
     *
     * @throws IllegalArgumentException if the service name is not lower-case words joined by hyphens
     */
    public static String deadLetter(String service) {
        if (service == null || !SERVICE_NAME.matcher(service).matches()) {
            throw new IllegalArgumentException(
                    "service name must be lower-case words joined by '-', e.g. compliance-service; was " + service);
        }
        return "bulwark." + service + ".dlq.v1";
    }

    /** The dead-letter topic of a service as a spec: keyed as the failed record was, any record type. */
    public static TopicSpec deadLetterSpec(String service) {
        return new TopicSpec(deadLetter(service), "the failed record's key", DEAD_LETTER_PARTITIONS, List.of());
    }
}
