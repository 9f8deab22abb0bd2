package dev.switchboard.spring.boot;

import java.util.List;

/**
 * The {@code switchboard.*} configuration cannot work: each problem names the property and what is wrong with it,
 * never a secret's value. Thrown while the application starts, so it fails with every problem listed at once.
 */
public class SwitchboardConfigurationException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The problems, one per line, each starting with the property it concerns. */
    private final List<String> problems;

    /** One problem with one property. */
    public SwitchboardConfigurationException(String property, String problem) {
        this(List.of(property + ": " + problem));
    }

    /** Several problems, each already naming its property. */
    public SwitchboardConfigurationException(List<String> problems) {
        super("Invalid Switchboard configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, each starting with the property it concerns. */
    public List<String> problems() {
        return problems;
    }
}
