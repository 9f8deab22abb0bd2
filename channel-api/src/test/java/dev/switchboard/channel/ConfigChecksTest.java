package dev.switchboard.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfigChecksTest {

    @Test
    void aMissingOptionIsNamed() {
        assertThatThrownBy(() -> ConfigChecks.required(null, "id")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("id is required");
        assertThat(ConfigChecks.required("x", "id")).isEqualTo("x");
    }

    @Test
    void aBadValueIsNamedWithTheRuleAndTheValue() {
        ConfigChecks.check(true, "pollLimit", 5, "1-100");
        assertThatThrownBy(() -> ConfigChecks.check(false, "pollLimit", 0, "1-100"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("pollLimit must be 1-100, got 0");
    }

    @Test
    void aBadSecretIsDescribedByItsLengthOnly() {
        assertThatThrownBy(() -> ConfigChecks.checkSecret(false, "token", "s3cr3t", "a bot token"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token must be a bot token, got one of 6 characters");
        assertThatThrownBy(() -> ConfigChecks.checkSecret(false, "token", null, "a bot token"))
                .hasMessage("token must be a bot token, got none");
    }
}
