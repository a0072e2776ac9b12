package dev.bulwark.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.events.Platform;
import dev.bulwark.rules.OsPlatform;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PlatformContractTest {

    @Test
    void everyPlatformARequestMayNameIsASymbolOfTheContractsPlatformAndOnlyUnknownIsLeftOver() {
        assertThat(Arrays.stream(OsPlatform.values()).map(p -> Platform.valueOf(p.name())))
                .containsExactlyInAnyOrder(Arrays.stream(Platform.values())
                        .filter(p -> p != Platform.UNKNOWN)
                        .toArray(Platform[]::new));
    }
}
