package dev.switchboard.inbox.canned;

import java.util.List;

/**
 * A canned response could not be sent because variables of its body have no value (an agent-prompted field left
 * empty, a customer without a name, a host value not supplied). Nothing was sent; show {@link #getMessage()} to the
 * agent, who fills the fields and tries again.
 */
public final class MissingVariableException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final List<String> variables;

    /** A failure naming the response and every variable without a value. */
    public MissingVariableException(String code, List<String> variables) {
        super("canned response " + code + " cannot be sent: no value for "
                + String.join(", ", variables.stream().map(v -> "{{" + v + "}}").toList()));
        this.code = code;
        this.variables = List.copyOf(variables);
    }

    /** The canned response's code. */
    public String code() {
        return code;
    }

    /** The variables without a value, as written in the body ({@code prompt.amount}, {@code customer.name}). */
    public List<String> variables() {
        return variables;
    }
}
