package dev.switchboard.inbox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Stored instants keep the exact text {@link Instant#toString()} writes, and every older form still reads. */
class IsoInstantsTest {

    @Test
    void formatsExactlyLikeInstantToStringAndParsesBack() {
        SplittableRandom random = new SplittableRandom(7);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(random.nextLong(min, max + 1), nanos);
            String text = IsoInstants.format(instant);
            assertThat(text).isEqualTo(instant.toString());
            assertThat(IsoInstants.parse(text)).contains(instant);
        }
    }

    @Test
    void otherFormsAreLeftToJacksonAndImpossibleDatesAreRejected() {
        assertThat(IsoInstants.parse("2026-03-01T10:00:00+01:00")).isEmpty();
        assertThat(IsoInstants.parse("2026-03-01T10:00Z")).isEmpty();
        assertThat(IsoInstants.parse("2026-03-01T10:00:00.1234567890Z")).isEmpty();
        assertThat(IsoInstants.parse("2026-03-01T1x:00:00Z")).isEmpty();
        assertThat(IsoInstants.parse("2026-03-01T24:00:00Z")).isEmpty();
        assertThat(IsoInstants.parse("2026-03-01T10:00:00.5Z")).contains(Instant.parse("2026-03-01T10:00:00.5Z"));
        assertThat(IsoInstants.format(Instant.parse("+12026-01-01T00:00:00Z"))).isEqualTo("+12026-01-01T00:00:00Z");
        assertThatThrownBy(() -> IsoInstants.parse("2026-02-30T10:00:00Z")).isInstanceOf(java.time.DateTimeException.class);
    }

    @Test
    void theCodecReadsRowsWrittenWithOffsetsOrEpochNumbersAsBefore() {
        JsonCodec json = new JsonCodec();
        Instant at = Instant.parse("2026-03-01T10:00:00.123456Z");
        Conversation c = Conversation.open(TenantId.DEFAULT, ConversationId.of("k1"), CustomerId.of("c1"),
                Optional.empty(), at);
        String written = json.write(c);
        assertThat(written).contains("\"2026-03-01T10:00:00.123456Z\"");
        assertThat(json.conversation(written)).isEqualTo(c);
        String withOffset = written.replace("\"2026-03-01T10:00:00.123456Z\"", "\"2026-03-01T11:00:00.123456+01:00\"");
        assertThat(json.conversation(withOffset)).isEqualTo(c);
        String asNumber = written.replace("\"2026-03-01T10:00:00.123456Z\"", "1772359200.123456000");
        assertThat(json.conversation(asNumber)).isEqualTo(c);
    }
}
