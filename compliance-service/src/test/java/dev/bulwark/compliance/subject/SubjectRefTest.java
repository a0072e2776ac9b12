package dev.bulwark.compliance.subject;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SubjectRefTest {

    @Test
    void aManagedDeviceIsSignedOutOfEveryProtectedAppOnIt() {
        assertThat(SubjectRef.managedDevice("t", "device-1", "alice").signOutAppIds())
                .isEmpty();
    }

    @Test
    void anUnmanagedAppInstanceIsSignedOutOfItsOwnAppOnly() {
        assertThat(SubjectRef.appInstance("t", "reg-1", "alice", "com.contoso.mail")
                        .signOutAppIds())
                .containsExactly("com.contoso.mail");
    }
}
