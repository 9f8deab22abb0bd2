package dev.switchboard.inbox.ack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A host-written acknowledgement text with variables in braces, e.g.
 * {@code "Hi {customer_name|there}, we'll answer within {response_minutes} minutes."}. A variable the inbox may not
 * know for a customer ({@code customer_name}) needs a default after a bar; a variable the inbox does not know at all
 * is a configuration error. Both are reported when the {@link AckPolicy} is built, so a raw placeholder is never
 * sent. Immutable.
 *
 * <p>Variables: {@code response_minutes} (the response target), {@code expected_time}, {@code expected_day},
 * {@code expected_date} (when the answer is due: HH:mm, the weekday in the template's language, yyyy-MM-dd),
 * {@code opening_time}, {@code opening_day}, {@code opening_date} (when the business opens next; now when open),
 * {@code time_zone} (the calendar's zone id), {@code customer_name}.
 */
public final class AckTemplate {
    /** The variables every acknowledgement has a value for. */
    public static final Set<String> ALWAYS_KNOWN = Set.of("response_minutes", "expected_time", "expected_day",
            "expected_date", "opening_time", "opening_day", "opening_date", "time_zone");
    /** The variables that may be unknown for a customer and so need a default ({@code {customer_name|there}}). */
    public static final Set<String> SOMETIMES_KNOWN = Set.of("customer_name");

    private final String text;
    private final List<Object> pieces; // String literals and Variable references

    private record Variable(String name, Optional<String> fallback) {
    }

    private AckTemplate(String text, List<Object> pieces) {
        this.text = text;
        this.pieces = pieces;
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException naming the variable: an unknown one, one without its needed default, or an
     *     unclosed brace
     */
    public static AckTemplate of(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("template is empty");
        }
        List<Object> pieces = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf('{', i);
            if (open < 0) {
                pieces.add(text.substring(i));
                break;
            }
            if (open > i) {
                pieces.add(text.substring(i, open));
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '{' at position " + open + " in template '" + text + "'");
            }
            String body = text.substring(open + 1, close);
            int bar = body.indexOf('|');
            String name = (bar < 0 ? body : body.substring(0, bar)).trim();
            Optional<String> fallback = bar < 0 ? Optional.empty() : Optional.of(body.substring(bar + 1));
            if (!ALWAYS_KNOWN.contains(name) && !SOMETIMES_KNOWN.contains(name)) {
                throw new IllegalArgumentException("unknown variable {" + name + "} in template '" + text
                        + "' (known: " + new java.util.TreeSet<>(union()) + ")");
            }
            if (SOMETIMES_KNOWN.contains(name) && fallback.isEmpty()) {
                throw new IllegalArgumentException("variable {" + name + "} in template '" + text
                        + "' needs a default for customers without one, e.g. {" + name + "|there}");
            }
            pieces.add(new Variable(name, fallback));
            i = close + 1;
        }
        return new AckTemplate(text, List.copyOf(pieces));
    }

    private static Set<String> union() {
        Set<String> all = new java.util.HashSet<>(ALWAYS_KNOWN);
        all.addAll(SOMETIMES_KNOWN);
        return all;
    }

    /** The template as written. */
    public String text() {
        return text;
    }

    /**
     * The text with every variable replaced: from {@code values}, else its default.
     *
     * @throws IllegalStateException when a variable has neither (cannot happen for templates of a built policy)
     */
    public String render(Map<String, String> values) {
        StringBuilder out = new StringBuilder(text.length() + 32);
        for (Object p : pieces) {
            if (p instanceof Variable v) {
                String value = values.get(v.name());
                if (value == null || value.isBlank()) {
                    value = v.fallback().orElseThrow(() -> new IllegalStateException("no value for {" + v.name()
                            + "} in template '" + text + "'"));
                }
                out.append(value);
            } else {
                out.append((String) p);
            }
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AckTemplate t && t.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
