package dev.bulwark.kit.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which tenant claims count. */
class TenantClaimFilterTest {

    @Test
    void aMissingBlankOrEmptyQuotedTenantClaimDoesNotCount() {
        assertThat(TenantClaimFilter.hasTenant(null)).isFalse();
        assertThat(TenantClaimFilter.hasTenant("")).isFalse();
        assertThat(TenantClaimFilter.hasTenant("  ")).isFalse();
        assertThat(TenantClaimFilter.hasTenant("\"\"")).isFalse();
    }

    @Test
    void aNamedTenantCounts() {
        assertThat(TenantClaimFilter.hasTenant("tenant-a")).isTrue();
    }
}
