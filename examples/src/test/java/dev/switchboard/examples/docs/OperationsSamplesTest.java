package dev.switchboard.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.ack.AckPolicy;
import dev.switchboard.inbox.calendar.BusinessCalendar;
import dev.switchboard.inbox.calendar.Holiday;
import dev.switchboard.inbox.calendar.IcsHolidays;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The samples of docs/operations.md, verbatim between the markers (see {@link DocSamplesTest}). */
class OperationsSamplesTest {

    @Test
    void aCalendarWithALunchBreakANightShiftAHolidayAndOverrides() {
        // ---- doc snippet begins
        BusinessCalendar moscow = BusinessCalendar.builder("moscow-office", "Europe/Moscow")
                .openWeekdays("09:00", "13:00")
                .openWeekdays("14:00", "18:00")                       // lunch 13:00-14:00
                .open(DayOfWeek.SATURDAY, "22:00", "06:00")           // a night shift into Sunday
                .holiday(LocalDate.of(2027, 1, 1), "New Year's Day")
                .override(LocalDate.of(2026, 12, 31), "09:00", "15:00")  // a short day
                .override(LocalDate.of(2026, 12, 26), "10:00", "14:00")  // an extra working Saturday
                .build();

        Instant now = Instant.parse("2026-12-07T10:30:00Z");              // Monday 13:30 in Moscow
        boolean open = moscow.isOpenAt(now);                               // false: lunch
        Instant opens = moscow.nextOpening(now);                           // 14:00 Moscow time
        Instant due = moscow.addBusinessTime(now, Duration.ofHours(1));    // 15:00 Moscow time
        Duration worked = moscow.businessDuration(now, due);               // 1 hour
        // ---- doc snippet ends
        assertThat(open).isFalse();
        assertThat(opens).isEqualTo(Instant.parse("2026-12-07T11:00:00Z"));
        assertThat(due).isEqualTo(Instant.parse("2026-12-07T12:00:00Z"));
        assertThat(worked).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void holidaysFromAnIcsFeed() throws IOException {
        InputStream feed = new java.io.ByteArrayInputStream(String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0",
                "PRODID:-//x//y//EN", "BEGIN:VEVENT", "UID:1@x", "DTSTART;VALUE=DATE:20250101", "RRULE:FREQ=YEARLY",
                "SUMMARY:New Year's Day", "END:VEVENT", "END:VCALENDAR", "").getBytes(StandardCharsets.UTF_8));
        // ---- doc snippet begins
        List<Holiday> holidays = IcsHolidays.read(feed, 2026, 2028);   // all-day events, yearly rules expanded
        BusinessCalendar berlin = BusinessCalendar.builder("berlin", "Europe/Berlin")
                .openWeekdays("08:00", "17:00")
                .holidays(holidays)
                .build();
        // ---- doc snippet ends
        assertThat(berlin.holidays()).containsKeys(LocalDate.of(2026, 1, 1), LocalDate.of(2028, 1, 1));
    }

    @Test
    void calendarsPerTenantChannelAndTeam() {
        BusinessCalendar moscow = BusinessCalendar.builder("moscow", "Europe/Moscow").openWeekdays("09:00", "18:00")
                .build();
        BusinessCalendar emailDesk = BusinessCalendar.builder("email-desk", "Asia/Kolkata")
                .openWeekdays("10:00", "19:00").build();
        BusinessCalendar nightTeam = BusinessCalendar.alwaysOpen("UTC");
        try (Inbox inbox = Inbox.builder().store(new InMemoryInboxStore()).build()) {
            // ---- doc snippet begins
            TenantInbox shop = inbox.forTenant(TenantId.of("shop"));
            shop.calendars().setDefault(moscow);
            shop.calendars().assignChannel(ChannelId.of("support-mail"), emailDesk);
            shop.calendars().assignTeam("night", nightTeam);
            // ---- doc snippet ends
            assertThat(shop.calendars().forChannel(ChannelId.of("support-mail"))).isSameAs(emailDesk);
            assertThat(shop.calendars().forChannel(ChannelId.of("tg"))).isSameAs(moscow);
        }
    }

    @Test
    void anAcknowledgementPolicy() {
        try (Inbox inbox = Inbox.builder().store(new InMemoryInboxStore()).build()) {
            TenantInbox shop = inbox.forTenant(TenantId.of("shop"));
            // ---- doc snippet begins
            AckPolicy ack = AckPolicy.builder()
                    .target(ChannelType.EMAIL, Duration.ofHours(1))        // the default; others: 5 minutes
                    .period(Duration.ofHours(4))                           // at most once per conversation
                    .agentQuietPeriod(Duration.ofMinutes(30))              // not right after an agent replied
                    .exclude(ChannelType.VK)
                    .template("en", AckPolicy.State.OPEN,
                            "Hi {customer_name|there}, we'll answer within {response_minutes} minutes.")
                    .template("en", AckPolicy.State.CLOSED,
                            "We're closed now; we'll answer on {opening_day} after {opening_time} (Moscow time).")
                    .template("ru", AckPolicy.State.OPEN, "Ответим в течение {response_minutes} минут.")
                    .template("ru", AckPolicy.State.CLOSED,
                            "Сейчас мы закрыты; ответим в {opening_day} после {opening_time} по Москве.")
                    .build();
            shop.setAcknowledgements(ack);
            // ---- doc snippet ends
            assertThat(shop.acknowledgements()).isSameAs(ack);
        }
    }
}
