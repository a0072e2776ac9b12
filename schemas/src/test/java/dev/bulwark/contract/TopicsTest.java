package dev.bulwark.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.RuleViolation;
import dev.bulwark.events.SignOutRequired;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void theCatalogueNamesTheEightTopicsOfTheDesign() {
        assertThat(Topics.catalogue())
                .extracting(TopicSpec::name)
                .containsExactly(
                        "bulwark.devices.v1",
                        "bulwark.directory.v1",
                        "bulwark.assignments.v1",
                        "bulwark.mdm-commands.v1",
                        "bulwark.mam-commands.v1",
                        "bulwark.policies.v1",
                        "bulwark.compliance.v1",
                        "bulwark.signout.v1");
    }

    @Test
    void devicesHaveTwelvePartitionsAndEveryOtherTopicSix() {
        assertThat(Topics.catalogue()).allSatisfy(topic -> assertThat(topic.partitions())
                .isEqualTo(topic.name().equals(Topics.DEVICES) ? 12 : 6));
    }

    @Test
    void eachEventTypeIsFoundOnItsTopic() {
        assertThat(Topics.topicOf(DeviceStateReported.class).name()).isEqualTo(Topics.DEVICES);
        assertThat(Topics.topicOf(SignOutRequired.class).name()).isEqualTo(Topics.SIGNOUT);
        assertThat(Topics.spec(Topics.POLICIES)).isPresent();
        assertThat(Topics.spec("bulwark.unknown.v1")).isEmpty();
        assertThatThrownBy(() -> Topics.topicOf(RuleViolation.class)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deadLetterTopicsAreNamedAfterTheServiceWithThreePartitions() {
        assertThat(Topics.deadLetter("compliance-service")).isEqualTo("bulwark.compliance-service.dlq.v1");
        assertThat(Topics.deadLetterSpec("device-registry").partitions()).isEqualTo(3);
        assertThat(Topics.deadLetterSpec("device-registry").recordTypes()).isEmpty();
        assertThat(Topics.catalogue()).noneMatch(t -> t.name().contains(".dlq."));
    }

    @Test
    void aServiceNameThatWouldMakeAStrangeTopicIsRefused() {
        assertThatThrownBy(() -> Topics.deadLetter("Compliance Service")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Topics.deadLetter("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Topics.deadLetter(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
