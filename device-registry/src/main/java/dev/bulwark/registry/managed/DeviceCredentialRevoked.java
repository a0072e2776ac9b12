package dev.bulwark.registry.managed;

import dev.bulwark.kit.problem.ProblemException;

/** The refusal a retired device gets when it acts with its credential: the retirement revoked it. */
final class DeviceCredentialRevoked {

    private DeviceCredentialRevoked() {}

    static ProblemException retired(String deviceId) {
        return ProblemException.unauthorized("Device " + deviceId + " is retired: its credential was revoked. Enroll"
                + " the device again for a new one.");
    }
}
