package dev.bulwark.kit.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A request's head against the service's limits. */
class HttpLimitsTest {

    private final HttpLimits limits = new HttpLimits(1_000, 4_096, 20_480);

    @Test
    void aRequestWithinEveryLimitPasses() {
        assertThat(limits.judge(4_096, 20_480, "1000")).isEmpty();
        assertThat(limits.judge(30, 200, null)).isEmpty();
    }

    @Test
    void aRequestLineOverTheLimitIs414() {
        assertThat(limits.judge(4_097, 100, null))
                .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(414));
    }

    @Test
    void headersOverTheLimitAre431() {
        assertThat(limits.judge(100, 20_481, null))
                .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(431));
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413AndSaysTheLimit() {
        assertThat(limits.judge(100, 100, "1001")).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.detail()).contains("at most 1000");
        });
    }

    @Test
    void aContentLengthThatIsNoNumberIs400() {
        assertThat(limits.judge(100, 100, "lots"))
                .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(400));
    }

    @Test
    void aTargetWithABrokenPercentEncodingIs400AndSaysHowToWriteAPercent() {
        assertThat(HttpLimits.judgeTarget("/api/v1/users/fuzz%zzid")).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.detail()).contains("%25");
        });
        assertThat(HttpLimits.judgeTarget("/api/v1/users?userId=a%z")).isPresent();
    }

    @Test
    void aWellEncodedTargetPasses() {
        assertThat(HttpLimits.judgeTarget("/api/v1/users/al%20ice?userId=a%25b&x=%E2%82%AC"))
                .isEmpty();
    }
}
