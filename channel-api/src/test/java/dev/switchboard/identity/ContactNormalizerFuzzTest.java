package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Evidence;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Fuzzes phone and email normalisation, which every inbound event runs on text a stranger typed. In the normal build
 * this replays the committed corpus ({@code ContactNormalizerFuzzTestInputs/<method>/}); with {@code JAZZER_FUZZ=1}
 * it fuzzes (see docs/identity.md). Properties: nothing throws, results are well-formed and normalising a result
 * gives it back unchanged (so two spellings that meet once keep meeting).
 */
class ContactNormalizerFuzzTest {

    private static final ContactNormalizer RU = new ContactNormalizer("RU");
    private static final ContactNormalizer GMAIL = new ContactNormalizer("ZZ", true);

    @FuzzTest(maxDuration = "60s")
    void phone(FuzzedDataProvider data) {
        String raw = data.consumeRemainingAsString();
        for (ContactNormalizer n : new ContactNormalizer[] {RU, GMAIL}) {
            Optional<ContactPoint> p = n.phone(raw);
            if (p.isPresent()) {
                String v = p.get().value();
                assertThat(v).as("E.164 of [%s]", raw).matches("\\+[1-9][0-9]{1,15}");
                assertThat(n.phone(v)).as("normalising [%s] again", v).contains(p.get());
                assertThat(n.normalize(p.get())).contains(p.get());
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void email(FuzzedDataProvider data) {
        String raw = data.consumeRemainingAsString();
        for (ContactNormalizer n : new ContactNormalizer[] {RU, GMAIL}) {
            Optional<ContactPoint> e = n.email(raw);
            if (e.isPresent()) {
                String v = e.get().value();
                assertThat(v).as("address of [%s]", raw).contains("@").doesNotContain(" ").isEqualTo(v.strip());
                assertThat(n.email(v)).as("normalising [%s] again", v).contains(e.get());
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void extractFromText(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        List<Evidence> found = RU.extractUnverified(text, "message.text", Instant.EPOCH);
        for (Evidence e : found) {
            assertThat(e.verified()).isFalse();
            assertThat(RU.normalize(e.point())).as("extracted %s from [%s]", e.point(), text).contains(e.point());
        }
    }
}
