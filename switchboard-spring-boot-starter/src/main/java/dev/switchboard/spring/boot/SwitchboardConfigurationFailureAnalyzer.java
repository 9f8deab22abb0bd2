package dev.switchboard.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link SwitchboardConfigurationException} into Spring Boot's startup failure report: every problem with
 * the property it concerns, and where the properties are documented.
 */
public class SwitchboardConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<SwitchboardConfigurationException> {

    /** Used by Spring Boot. */
    public SwitchboardConfigurationFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SwitchboardConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the switchboard.* properties named above (docs/spring-boot.md lists them all).", cause);
    }
}
