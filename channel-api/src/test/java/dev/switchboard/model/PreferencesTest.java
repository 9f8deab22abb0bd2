package dev.switchboard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PreferencesTest {
    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow"); // UTC+3, no daylight saving

    @Test
    void quietHoursOverMidnightAreReadOnTheCustomersClock() {
        Preferences p = Preferences.NONE.withQuietHours(new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0),
                MOSCOW));
        assertThat(p.quietAt(Instant.parse("2026-03-02T18:59:59Z"))).isFalse(); // 21:59:59 local
        assertThat(p.quietAt(Instant.parse("2026-03-02T19:00:00Z"))).isTrue(); // 22:00 local, inclusive
        assertThat(p.quietAt(Instant.parse("2026-03-02T23:30:00Z"))).isTrue(); // 02:30 local
        assertThat(p.quietAt(Instant.parse("2026-03-03T04:59:59Z"))).isTrue(); // 07:59:59 local
        assertThat(p.quietAt(Instant.parse("2026-03-03T05:00:00Z"))).isFalse(); // 08:00 local, exclusive
        assertThat(Preferences.NONE.quietAt(Instant.parse("2026-03-02T23:30:00Z"))).isFalse();
        assertThat(p.withoutQuietHours().quietAt(Instant.parse("2026-03-02T23:30:00Z"))).isFalse();
    }

    @Test
    void quietHoursWithinADayAndAnEmptyWindow() {
        QuietHours lunch = new QuietHours(LocalTime.of(13, 0), LocalTime.of(14, 0), ZoneId.of("UTC"));
        assertThat(lunch.contains(Instant.parse("2026-03-02T13:30:00Z"))).isTrue();
        assertThat(lunch.contains(Instant.parse("2026-03-02T14:00:00Z"))).isFalse();
        assertThat(lunch.contains(Instant.parse("2026-03-02T12:59:00Z"))).isFalse();
        QuietHours none = new QuietHours(LocalTime.NOON, LocalTime.NOON, ZoneId.of("UTC"));
        assertThat(none.contains(Instant.parse("2026-03-02T12:00:00Z"))).isFalse();
    }

    @Test
    void preferredChannelsKeepTheirOrderWithoutRepeatsAndTheOlderFormStillWorks() {
        Preferences p = Preferences.NONE.withPreferredChannels(ChannelType.EMAIL, ChannelType.VK, ChannelType.EMAIL,
                ChannelType.TELEGRAM, ChannelType.VK);
        assertThat(p.preferredChannel()).contains(ChannelType.EMAIL);
        assertThat(p.preferredChannels()).containsExactly(ChannelType.EMAIL, ChannelType.VK, ChannelType.TELEGRAM);
        assertThat(p.withPreferredChannel(ChannelType.VIBER).preferredChannels()).containsExactly(ChannelType.VIBER);
        Preferences old = new Preferences(Optional.of(ChannelType.VK), Set.of(), List.of());
        assertThat(old.preferredChannels()).containsExactly(ChannelType.VK);
        assertThat(old.quietHours()).isEmpty();
        assertThat(old.language()).isEmpty();
        // fallbacks without a preferred channel mean nothing
        assertThat(new Preferences(Optional.empty(), Set.of(), List.of(), List.of(ChannelType.VK), Optional.empty(),
                Optional.empty()).preferredChannels()).isEmpty();
    }

    @Test
    void everyWitherKeepsTheOtherParts() {
        Preferences p = Preferences.NONE.withPreferredChannels(ChannelType.EMAIL, ChannelType.VK)
                .withQuietHours(new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0), MOSCOW)).withLanguage("ru")
                .withDoNotContact(ChannelType.VIBER)
                .withConsent(Consent.MARKETING, true, "form", Instant.parse("2026-03-02T10:00:00Z"));
        assertThat(p.preferredChannels()).containsExactly(ChannelType.EMAIL, ChannelType.VK);
        assertThat(p.quietHours()).isPresent();
        assertThat(p.language()).contains("ru");
        assertThat(p.allows(ChannelType.VIBER)).isFalse();
        assertThat(p.hasConsent(Consent.MARKETING, ChannelType.VK)).isTrue();
        Preferences q = p.withoutDoNotContact(ChannelType.VIBER).withConsents(List.of());
        assertThat(q.preferredChannels()).containsExactly(ChannelType.EMAIL, ChannelType.VK);
        assertThat(q.language()).contains("ru");
        assertThat(q.quietHours()).isPresent();
        assertThat(q.hasConsent(Consent.MARKETING, ChannelType.VK)).isFalse();
        assertThatThrownBy(() -> p.withLanguage(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("languageTag");
    }
}
