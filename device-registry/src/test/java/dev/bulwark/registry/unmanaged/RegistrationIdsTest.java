package dev.bulwark.registry.unmanaged;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistrationIdsTest {

    @Test
    void theSameUserAppAndInstallationAlwaysGiveTheSameRegistrationId() {
        assertThat(RegistrationIds.of("t", "alice", "mail", "i1"))
                .isEqualTo(RegistrationIds.of("t", "alice", "mail", "i1"));
        assertThat(RegistrationIds.of("t", "alice", "mail", "i1")).startsWith("reg-");
    }

    @Test
    void anotherTenantUserAppOrInstallationGivesAnotherId() {
        String id = RegistrationIds.of("t", "alice", "mail", "i1");
        assertThat(RegistrationIds.of("u", "alice", "mail", "i1")).isNotEqualTo(id);
        assertThat(RegistrationIds.of("t", "bob", "mail", "i1")).isNotEqualTo(id);
        assertThat(RegistrationIds.of("t", "alice", "teams", "i1")).isNotEqualTo(id);
        assertThat(RegistrationIds.of("t", "alice", "mail", "i2")).isNotEqualTo(id);
    }

    @Test
    void partsCannotRunIntoEachOther() {
        assertThat(RegistrationIds.of("t", "ab", "c", "i")).isNotEqualTo(RegistrationIds.of("t", "a", "bc", "i"));
    }
}
