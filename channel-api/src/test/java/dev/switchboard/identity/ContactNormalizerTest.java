package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Evidence;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContactNormalizerTest {

    private final ContactNormalizer ru = new ContactNormalizer("RU");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "8 (916) 123-45-67   | +79161234567",
            "+7 916 123 45 67    | +79161234567",
            "79161234567         | +79161234567",
            "+79161234567        | +79161234567",
            "9161234567          | +79161234567",
            "8-916-123-45-67     | +79161234567",
            "+49 30 901820       | +4930901820",
            "810 49 30 901820    | +4930901820",
            "+44 20 7946 0958    | +442079460958",
            "+1 (650) 253-0000   | +16502530000",
    })
    void phonesBecomeE164(String raw, String e164) {
        assertThat(ru.phone(raw)).contains(new ContactPoint(ContactPoint.Kind.PHONE, e164));
    }

    @ParameterizedTest
    @CsvSource({"12", "hello", "+7", "''", "8 (916) 123", "+999 123 456"})
    void nonPhonesAreEmpty(String raw) {
        assertThat(ru.phone(raw)).isEmpty();
    }

    @Test
    void internationalNumbersDoNotDependOnTheRegion() {
        ContactNormalizer de = new ContactNormalizer("DE");
        assertThat(de.phone("+7 916 123-45-67")).isEqualTo(ru.phone("8 916 123 45 67"));
        assertThat(de.phone("0049 30 901820")).contains(new ContactPoint(ContactPoint.Kind.PHONE, "+4930901820"));
        assertThat(de.phone("030 901820")).contains(new ContactPoint(ContactPoint.Kind.PHONE, "+4930901820"));
    }

    /**
     * National spellings take a learned shortcut after the first number of each shape (see ContactNormalizer.phone):
     * it must agree with the full parser on every number, in regions with different trunk prefixes, number lengths
     * and international prefixes, in digit-only and formatted layouts, valid or not.
     */
    @ParameterizedTest
    @CsvSource({"RU", "KZ", "DE", "US", "GB", "FR", "IT", "BR", "IN", "CN", "UA", "AR", "MX", "JP"})
    void learnedNationalSpellingsAgreeWithTheFullParser(String region) {
        ContactNormalizer normalizer = new ContactNormalizer(region);
        java.util.SplittableRandom r = new java.util.SplittableRandom(region.hashCode());
        String[] layouts = {"", "", " ", "-", "(", "8 ("};
        int checked = 0;
        for (int shape = 0; shape < 400; shape++) {
            int length = 6 + r.nextInt(10);
            char[] head = new char[Math.min(7, length)];
            for (int i = 0; i < head.length; i++) {
                // lean towards the leading digits that mean something: trunk prefixes, country codes, IDD
                head[i] = i < 2 && r.nextBoolean() ? "0178".charAt(r.nextInt(4)) : (char) ('0' + r.nextInt(10));
            }
            String layout = layouts[r.nextInt(layouts.length)];
            for (int n = 0; n < 15; n++) {
                StringBuilder digits = new StringBuilder().append(head);
                while (digits.length() < length) {
                    digits.append((char) ('0' + r.nextInt(10)));
                }
                String raw = layout(digits.toString(), layout);
                assertThat(normalizer.phone(raw).map(ContactPoint::value)).as("%s in %s", raw, region)
                        .isEqualTo(fullParser(raw, region));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(6000);
    }

    private static String layout(String digits, String layout) {
        switch (layout) {
            case " ":
                return digits.substring(0, 3) + " " + digits.substring(3);
            case "-":
                return digits.substring(0, digits.length() - 4) + "-" + digits.substring(digits.length() - 4, digits.length() - 2)
                        + "-" + digits.substring(digits.length() - 2);
            case "(":
                return "(" + digits.substring(0, 3) + ") " + digits.substring(3);
            case "8 (":
                return digits.charAt(0) + " (" + digits.substring(1, 4) + ") " + digits.substring(4);
            default:
                return digits;
        }
    }

    /** What the normaliser did for national spellings before it learned shapes: the full parser, every time. */
    private static java.util.Optional<String> fullParser(String raw, String region) {
        com.google.i18n.phonenumbers.PhoneNumberUtil u = com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance();
        String text = raw.strip();
        for (String attempt : new String[] {text, text.chars().allMatch(Character::isDigit) ? "+" + text : null}) {
            if (attempt == null) {
                continue;
            }
            try {
                com.google.i18n.phonenumbers.Phonenumber.PhoneNumber n = u.parse(attempt, region);
                if (u.isPossibleNumberWithReason(n) == com.google.i18n.phonenumbers.PhoneNumberUtil.ValidationResult.IS_POSSIBLE) {
                    return java.util.Optional.of(u.format(n, com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat.E164));
                }
            } catch (com.google.i18n.phonenumbers.NumberParseException e) {
                // not a number in this attempt
            }
        }
        return java.util.Optional.empty();
    }

    @Test
    void unknownRegionIsRejected() {
        assertThatThrownBy(() -> new ContactNormalizer("XX")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("XX");
        assertThatThrownBy(() -> IdentityEngine.builder().defaultRegion("Russia").build())
                .isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            " Anna@Example.COM  | anna@example.com",
            "<anna@example.com> | anna@example.com",
            "mailto:Anna@x.org  | anna@x.org",
            "a.nna@gmail.com    | a.nna@gmail.com",
            "anna+shop@gmail.com | anna+shop@gmail.com",
            "Иван@Пример.РФ     | иван@xn--e1afmkfd.xn--p1ai",
    })
    void emailsAreTrimmedAndLowerCasedButKeepDotsAndTags(String raw, String normal) {
        assertThat(ru.email(raw)).contains(new ContactPoint(ContactPoint.Kind.EMAIL, normal));
    }

    @ParameterizedTest
    @CsvSource({"anna", "anna@", "@example.com", "anna@example", "an na@example.com", "a@b@example.com"})
    void nonEmailsAreEmpty(String raw) {
        assertThat(ru.email(raw)).isEmpty();
    }

    @Test
    void extractsTypedPhonesAndEmailsAsUnverifiedEvidence() {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        List<Evidence> found = ru.extractUnverified(
                "Hi! Call me at 8 (916) 123-45-67 or write to Anna@Example.com; my old order 12345 is lost.",
                "message.text", at);
        assertThat(found).containsExactlyInAnyOrder(
                Evidence.unverified(new ContactPoint(ContactPoint.Kind.PHONE, "+79161234567"), "message.text", at),
                Evidence.unverified(new ContactPoint(ContactPoint.Kind.EMAIL, "anna@example.com"), "message.text", at));
        assertThat(found).noneMatch(Evidence::verified);
    }

    @Test
    void textWithoutContactsYieldsNothing() {
        assertThat(ru.extractUnverified("order 12345 arrived on 2026-01-01, thanks", "message.text", Instant.EPOCH))
                .isEmpty();
    }

    @Test
    void digitsOfAnEmailAddressAreNotAPhone() {
        assertThat(ru.extractUnverified("mail 89161234567@mail.ru", "t", Instant.EPOCH))
                .extracting(e -> e.point().kind()).containsExactly(ContactPoint.Kind.EMAIL);
    }
}
