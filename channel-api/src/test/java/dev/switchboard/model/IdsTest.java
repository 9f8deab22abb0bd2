package dev.switchboard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Identifiers are 1-128 characters of [A-Za-z0-9_.:@+=-]; anything else is refused with the offending value. */
class IdsTest {

    @Test
    void acceptsEveryAllowedCharacterUpTo128OfThem() {
        String all = "azAZ09_.:@+=-";
        assertThat(CustomerId.of(all).value()).isEqualTo(all);
        assertThat(MessageId.of("x".repeat(128)).value()).hasSize(128);
        assertThat(ConversationId.of("7").value()).isEqualTo("7");
    }

    @Test
    void refusesEmptyTooLongAndForeignCharacters() {
        for (String bad : new String[] {"", "x".repeat(129), "a b", "a/b", "ключ", "a\nb", "a#b", "a,b"}) {
            assertThatThrownBy(() -> CustomerId.of(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[A-Za-z0-9_.:@+=-]");
        }
        assertThatThrownBy(() -> CustomerId.of(null)).isInstanceOf(NullPointerException.class);
    }
}
