package dev.switchboard.spring.boot;

import java.util.Locale;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Keeps Switchboard's secrets (bot tokens, webhook secrets, passwords, thread-token secrets) out of
 * {@code /actuator/env} and {@code /actuator/configprops}, even when the application sets
 * {@code management.endpoint.*.show-values} to show values: every {@code switchboard.*} key that names a secret is
 * masked, whatever property source it came from.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public class SwitchboardActuatorAutoConfiguration {
    private static final Set<String> SECRET_ENDINGS = Set.of("token", "secret", "password", "bottoken",
            "webhooksecret", "threadtokensecret");

    /** Used by Spring. */
    public SwitchboardActuatorAutoConfiguration() {
    }

    /** Masks the values of Switchboard's secret properties. */
    @Bean
    public SanitizingFunction switchboardSecretsSanitizer() {
        return data -> isSecret(data) ? data.withSanitizedValue() : data;
    }

    static boolean isSecret(SanitizableData data) {
        String key = data.getLowerCaseKey();
        if (key == null || !key.replace("_", ".").contains("switchboard")) {
            return false;
        }
        String flat = key.replace("-", "").replace("_", "").replace(".", "");
        return SECRET_ENDINGS.stream().anyMatch(flat::endsWith);
    }
}
