package dev.switchboard.inbox.ack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.inbox.calendar.BusinessCalendar;
import dev.switchboard.model.ChannelType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The acknowledgement policy: its configuration errors, the expected answer and the rendered text. */
class AckPolicyTest {
    private static final BusinessCalendar MOSCOW = BusinessCalendar.builder("moscow", "Europe/Moscow")
            .openWeekdays("09:00", "18:00").build();

    private static AckPolicy.Builder english() {
        return AckPolicy.builder()
                .template("en", AckPolicy.State.OPEN, "Hi {customer_name|there}, within {response_minutes} min,"
                        + " by {expected_time}.")
                .template("en", AckPolicy.State.CLOSED, "Closed; back {opening_day} {opening_date} at {opening_time}"
                        + " ({time_zone}), answer by {expected_day} {expected_time}.");
    }

    @Test
    void anUnknownVariableOrAMissingDefaultIsAConfigurationError() {
        assertThatThrownBy(() -> AckPolicy.builder().template("en", AckPolicy.State.OPEN, "by {expected}")
                .template("en", AckPolicy.State.CLOSED, "Hello {customer_name}").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("template.en.OPEN: unknown variable {expected}")
                .hasMessageContaining("template.en.CLOSED: variable {customer_name}")
                .hasMessageContaining("needs a default");
    }

    @Test
    void aLanguageNeedsBothTemplatesAndTheDefaultLanguageMustExist() {
        assertThatThrownBy(() -> AckPolicy.builder().template("ru", AckPolicy.State.OPEN, "Ответим.").build())
                .hasMessageContaining("template.ru.CLOSED is missing")
                .hasMessageContaining("defaultLanguage 'en' has no templates");
        assertThatThrownBy(() -> english().target(ChannelType.EMAIL, Duration.ZERO).build())
                .hasMessageContaining("target.email must be positive");
        assertThatThrownBy(() -> AckTemplate.of("by {expected_time")).hasMessageContaining("unclosed '{'");
    }

    @Test
    void whileOpenTheTargetAndItsDeadlineAreStated() {
        AckPolicy p = english().build();
        Instant monday1755 = Instant.parse("2026-12-07T14:55:00Z");
        ExpectedAnswer a = p.expectedAnswer(ChannelType.EMAIL, MOSCOW, monday1755);
        assertThat(a.openNow()).isTrue();
        assertThat(a.target()).isEqualTo(Duration.ofHours(1));
        assertThat(a.expectedBy()).isEqualTo(Instant.parse("2026-12-08T06:55:00Z")); // Tuesday 09:55
        assertThat(p.render(p.expectedAnswer(ChannelType.TELEGRAM, MOSCOW, monday1755), MOSCOW, "en",
                Optional.of("Anna"))).isEqualTo("Hi Anna, within 5 min, by 18:00.");
        assertThat(p.render(a, MOSCOW, "en", Optional.empty())).isEqualTo("Hi there, within 60 min, by 09:55.");
    }

    @Test
    void whileClosedTheNextOpeningIsStatedInTheTemplatesLanguage() {
        AckPolicy p = english().template("ru", AckPolicy.State.OPEN, "Ответим за {response_minutes} минут.")
                .template("ru", AckPolicy.State.CLOSED, "Ответим в {opening_day} после {opening_time}.").build();
        Instant saturday = Instant.parse("2026-12-05T12:00:00Z");
        ExpectedAnswer a = p.expectedAnswer(ChannelType.TELEGRAM, MOSCOW, saturday);
        assertThat(a.openNow()).isFalse();
        assertThat(p.render(a, MOSCOW, "en", Optional.empty())).isEqualTo("Closed; back Monday 2026-12-07 at 09:00"
                + " (Europe/Moscow), answer by Monday 09:05.");
        assertThat(p.languageFor(Optional.of("ru_RU"))).isEqualTo("ru");
        assertThat(p.languageFor(Optional.of("de"))).isEqualTo("en");
        assertThat(p.render(a, MOSCOW, "ru", Optional.empty())).isEqualTo("Ответим в понедельник после 09:00.");
    }

    @Test
    void excludedTypesAndTheDisabledPolicyApplyNowhere() {
        assertThat(english().exclude(ChannelType.VK).build().appliesTo(ChannelType.VK)).isFalse();
        assertThat(english().build().appliesTo(ChannelType.VK)).isTrue();
        assertThat(AckPolicy.disabled().appliesTo(ChannelType.TELEGRAM)).isFalse();
    }
}
