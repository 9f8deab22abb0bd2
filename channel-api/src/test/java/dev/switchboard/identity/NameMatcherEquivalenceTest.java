package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The char-array tokenizer in {@link NameMatcher} against {@link NameMatcherReference}, the multi-pass version it
 * replaced: tokens, skeletons, keys and forms must agree exactly, or customers indexed before an upgrade would stop
 * meeting their namesakes indexed after it.
 */
class NameMatcherEquivalenceTest {

    /** Every letter some folding rule looks at, both scripts, both cases, and separators of several kinds. */
    private static final String TRICKY = "shchktzxyjwqpieoauvnmlrdbfg" + "SHCKTXYIEO"
            + "щшчжхцёйяюэъьыеиоаСЩЁЙЯИО" + "  -'.,0\u0000\u0001’`" + "éüßøЌ一";

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "Анастасия Петрова", "Petrova Anastasiya", "Yevgeny Ilyin", "Щукина Юлия",
            "Fyodor Pyotr Artyom", "Xenia Shchukina-Schukina", "ie ye yeti", "Sasha Sasha", "a b c d e f",
            "Ёжиков Ёжик Ёжикович Ёж", "Zoë Müller", "Łukasz Żółć", "張偉 Wei", "kh ph ck tz ts sch shch",
            "Marie-Hélène O'Connor", "Тхэквондо Ъъъ Ььь", "iiooiioo ioio xioio", "tschai tsch", "\u0000Anna\u0000Ivanova"})
    void namesFromTheWildTokeniseAsBefore(String name) {
        assertSameAsReference(name);
    }

    @Test
    void randomStringsOfTheTrickyLettersTokeniseAsBefore() {
        SplittableRandom r = new SplittableRandom(2026);
        for (int n = 0; n < 200_000; n++) {
            StringBuilder name = new StringBuilder();
            int length = r.nextInt(24);
            for (int i = 0; i < length; i++) {
                name.append(TRICKY.charAt(r.nextInt(TRICKY.length())));
            }
            assertSameAsReference(name.toString());
        }
    }

    @Test
    void randomTokensFoldToTheSameSkeleton() {
        SplittableRandom r = new SplittableRandom(7);
        String letters = "shchktzxyjwqpieoauvn";
        for (int n = 0; n < 200_000; n++) {
            StringBuilder token = new StringBuilder();
            int length = 1 + r.nextInt(14);
            for (int i = 0; i < length; i++) {
                token.append(letters.charAt(r.nextInt(letters.length())));
            }
            assertThat(NameMatcher.skeleton(token)).as(token.toString()).isEqualTo(NameMatcherReference.skeleton(token));
        }
    }

    private static void assertSameAsReference(String name) {
        var tokens = NameMatcher.tokens(name, GivenNames.none()); // the reference knows spellings, not given names
        var expected = NameMatcherReference.tokens(name);
        assertThat(tokens).as("tokens of [%s]", name).containsExactlyElementsOf(expected);
        assertThat(NameMatcher.keys(tokens)).as("keys of [%s]", name)
                .containsExactlyInAnyOrderElementsOf(NameMatcherReference.keys(expected));
        assertThat(NameMatcher.form(tokens)).as("form of [%s]", name).isEqualTo(String.join(" ", expected));
    }
}
