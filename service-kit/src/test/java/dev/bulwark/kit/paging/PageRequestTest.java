package dev.bulwark.kit.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.kit.problem.ProblemException;
import org.junit.jupiter.api.Test;

class PageRequestTest {

    @Test
    void missingParametersMeanTheFirstPageOfTwenty() {
        assertThat(PageRequest.of(null, "")).isEqualTo(new PageRequest(0, 20));
    }

    @Test
    void theOffsetSkipsThePagesBefore() {
        assertThat(PageRequest.of("3", "25").offset()).isEqualTo(75);
    }

    @Test
    void aNegativePageATooLargeSizeOrTextIsABadRequestNamingTheParameter() {
        assertThatThrownBy(() -> PageRequest.of("-1", null))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("page"));
        assertThatThrownBy(() -> PageRequest.of("0", "101"))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> PageRequest.of("0", "ten"))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("size"));
    }
}
