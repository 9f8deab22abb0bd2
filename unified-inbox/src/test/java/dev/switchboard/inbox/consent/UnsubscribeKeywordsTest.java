package dev.switchboard.inbox.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Consent;
import dev.switchboard.model.CustomerId;
import org.junit.jupiter.api.Test;

class UnsubscribeKeywordsTest {
    private final UnsubscribeKeywords rule = UnsubscribeKeywords.defaults();

    @Test
    void theWholeMessageMatchesIgnoringCaseSpacesACommandSlashAndTrailingPunctuation() {
        for (String text : new String[] {"stop", "STOP", "  Stop!  ", "stop.", "/stop", "СТОП", "Отписаться!",
                "unsubscribe"}) {
            assertThat(rule.matches(ChannelType.TELEGRAM, text)).as(text).isTrue();
        }
        for (String text : new String[] {"stop it", "please stop", "stopped", "s t o p", "", "стоп-кран"}) {
            assertThat(rule.matches(ChannelType.TELEGRAM, text)).as(text).isFalse();
        }
    }

    @Test
    void onlyTheListenedChannelTypesMatch() {
        assertThat(rule.matches(ChannelType.VK, "стоп")).isTrue();
        assertThat(rule.matches(ChannelType.VIBER, "stop")).isTrue();
        assertThat(rule.matches(ChannelType.EMAIL, "stop")).isFalse();
        assertThat(rule.matches(ChannelType.WEBCHAT, "stop")).isFalse();
        assertThat(UnsubscribeKeywords.off().matches(ChannelType.TELEGRAM, "stop")).isFalse();
        UnsubscribeKeywords mail = UnsubscribeKeywords.builder().channelTypes(ChannelType.EMAIL).build();
        assertThat(mail.matches(ChannelType.EMAIL, "unsubscribe")).isTrue();
        assertThat(mail.matches(ChannelType.TELEGRAM, "unsubscribe")).isFalse();
    }

    @Test
    void aBadRuleIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> UnsubscribeKeywords.builder().keywords(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keywords");
        assertThatThrownBy(() -> UnsubscribeKeywords.builder().confirmation("").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("confirmation");
        assertThatThrownBy(() -> UnsubscribeKeywords.builder().purpose(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("purpose");
    }

    @Test
    void aChangeNeedsEvidenceAndAPurposeAndDefaultsToTheHostAsSource() {
        CustomerId ann = CustomerId.of("ann");
        ConsentChange change = ConsentChange.withdraw(ann, Consent.SURVEYS)
                .evidence(ConsentEvidence.button("surveys:no")).build();
        assertThat(change.granted()).isFalse();
        assertThat(change.source()).isEqualTo("host");
        assertThat(change.channelType()).isEmpty();
        assertThat(change.account()).isEmpty();
        assertThatThrownBy(() -> ConsentChange.grant(ann, Consent.MARKETING).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("evidence")
                .hasMessageContaining("grant of marketing");
        assertThatThrownBy(() -> ConsentChange.grant(ann, null).evidence(ConsentEvidence.host("x")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("purpose");
        assertThatThrownBy(() -> ConsentChange.grant(ann, Consent.MARKETING).source(" ")
                .evidence(ConsentEvidence.host("x")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source");
        assertThatThrownBy(() -> ConsentEvidence.host(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reference");
    }
}
