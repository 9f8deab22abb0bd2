package dev.switchboard.inbox.ack;

import dev.switchboard.inbox.calendar.BusinessCalendar;
import dev.switchboard.model.ChannelType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a tenant's inbox tells a customer who writes while no agent has answered: an automatic acknowledgement that
 * states when to expect the answer, computed from the business calendar of the channel and the response target of
 * its channel type ("We'll answer within 5 minutes" while open; "We're closed now; we'll answer on Monday after
 * 09:00" outside). Rules: at most once per conversation per {@link Builder#period(Duration) period}; not when an
 * agent replied within the {@link Builder#agentQuietPeriod(Duration) quiet period}; never to automated mail; never
 * on channel types the policy leaves out, to customers who asked not to be contacted there, or who revoked the
 * {@link #CONSENT_PURPOSE} consent. Templates are per language and state (open, closed), picked by the customer's
 * language with a fallback to the default language. Immutable; validated at {@link Builder#build()}.
 *
 * <pre>{@code
 * AckPolicy ack = AckPolicy.builder()
 *         .template("en", AckPolicy.State.OPEN, "Thanks! We'll answer within {response_minutes} minutes.")
 *         .template("en", AckPolicy.State.CLOSED,
 *                 "We're closed now; we'll answer on {opening_day} after {opening_time} (Moscow time).")
 *         .target(ChannelType.EMAIL, Duration.ofHours(1))
 *         .build();
 * inbox.forTenant(shop).setAcknowledgements(ack);
 * }</pre>
 */
public final class AckPolicy {
    /**
     * The consent purpose a customer can revoke to stop acknowledgements ({@code Preferences.withConsent}); no
     * record means acknowledgements are sent.
     */
    public static final String CONSENT_PURPOSE = "auto-acknowledgement";
    private static final AckPolicy DISABLED = new AckPolicy(false, Map.of(), Duration.ofMinutes(5), Duration.ZERO,
            Duration.ZERO, Set.of(), Map.of(), "en");
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    /** Which template applies: the business is open now, or closed. */
    public enum State {
        /** Open at the moment the customer wrote. */
        OPEN,
        /** Closed at the moment the customer wrote. */
        CLOSED
    }

    private final boolean enabled;
    private final Map<ChannelType, Duration> targets;
    private final Duration defaultTarget;
    private final Duration period;
    private final Duration agentQuietPeriod;
    private final Set<ChannelType> excluded;
    private final Map<String, Map<State, AckTemplate>> templates;
    private final String defaultLanguage;

    private AckPolicy(boolean enabled, Map<ChannelType, Duration> targets, Duration defaultTarget, Duration period,
                      Duration agentQuietPeriod, Set<ChannelType> excluded,
                      Map<String, Map<State, AckTemplate>> templates, String defaultLanguage) {
        this.enabled = enabled;
        this.targets = targets;
        this.defaultTarget = defaultTarget;
        this.period = period;
        this.agentQuietPeriod = agentQuietPeriod;
        this.excluded = excluded;
        this.templates = templates;
        this.defaultLanguage = defaultLanguage;
    }

    /** No acknowledgements (the default of every tenant). */
    public static AckPolicy disabled() {
        return DISABLED;
    }

    /** A builder with the defaults: email 1 hour, every other channel type 5 minutes, once per 4 hours. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether acknowledgements are sent at all. */
    public boolean enabled() {
        return enabled;
    }

    /** Whether acknowledgements are sent on channels of this type. */
    public boolean appliesTo(ChannelType type) {
        return enabled && !excluded.contains(type);
    }

    /** The response target of a channel type, in business time. */
    public Duration target(ChannelType type) {
        return targets.getOrDefault(type, defaultTarget);
    }

    /** At most one acknowledgement per conversation within this period. */
    public Duration period() {
        return period;
    }

    /** No acknowledgement when an agent replied in the conversation within this period. */
    public Duration agentQuietPeriod() {
        return agentQuietPeriod;
    }

    /** The language whose templates are used when the customer's language has none. */
    public String defaultLanguage() {
        return defaultLanguage;
    }

    /** When a customer writing on a channel of {@code type} at {@code now} can expect the answer. */
    public ExpectedAnswer expectedAnswer(ChannelType type, BusinessCalendar calendar, Instant now) {
        Duration target = target(type);
        boolean open = calendar.isOpenAt(now);
        return new ExpectedAnswer(open, target, calendar.nextOpening(now), calendar.addBusinessTime(now, target));
    }

    /** The language of the templates used for a customer language tag ({@code ru}, {@code ru-RU}), or the default. */
    public String languageFor(Optional<String> customerLanguage) {
        if (customerLanguage.isPresent()) {
            String tag = customerLanguage.get().replace('_', '-').toLowerCase(Locale.ROOT);
            if (templates.containsKey(tag)) {
                return tag;
            }
            int dash = tag.indexOf('-');
            if (dash > 0 && templates.containsKey(tag.substring(0, dash))) {
                return tag.substring(0, dash);
            }
        }
        return defaultLanguage;
    }

    /**
     * The acknowledgement text for an expected answer, in {@code language} (from {@link #languageFor}), with the
     * calendar's zone for times and the customer's name when known.
     */
    public String render(ExpectedAnswer answer, BusinessCalendar calendar, String language,
                         Optional<String> customerName) {
        Map<State, AckTemplate> forLanguage = templates.getOrDefault(language, templates.get(defaultLanguage));
        AckTemplate template = forLanguage.get(answer.openNow() ? State.OPEN : State.CLOSED);
        Locale locale = Locale.forLanguageTag(language);
        ZonedDateTime expected = answer.expectedBy().atZone(calendar.zone());
        ZonedDateTime opens = answer.opensAt().atZone(calendar.zone());
        Map<String, String> values = new HashMap<>();
        values.put("response_minutes", Long.toString(answer.target().toMinutes()));
        values.put("expected_time", HH_MM.format(expected));
        values.put("expected_day", expected.getDayOfWeek().getDisplayName(TextStyle.FULL_STANDALONE, locale));
        values.put("expected_date", expected.toLocalDate().toString());
        values.put("opening_time", HH_MM.format(opens));
        values.put("opening_day", opens.getDayOfWeek().getDisplayName(TextStyle.FULL_STANDALONE, locale));
        values.put("opening_date", opens.toLocalDate().toString());
        values.put("time_zone", calendar.zone().getId());
        customerName.ifPresent(n -> values.put("customer_name", n));
        return template.render(values);
    }

    @Override
    public String toString() {
        return enabled ? "AckPolicy[targets=" + targets + ", default " + defaultTarget + ", period " + period
                + ", agent quiet " + agentQuietPeriod + ", excluded " + excluded + ", languages "
                + templates.keySet() + "]" : "AckPolicy[disabled]";
    }

    /**
     * Collects targets, rules and templates; {@link #build()} checks them and names each offending item. Not
     * thread-safe.
     */
    public static final class Builder {
        private final Map<ChannelType, Duration> targets = new LinkedHashMap<>();
        private Duration defaultTarget = Duration.ofMinutes(5);
        private Duration period = Duration.ofHours(4);
        private Duration agentQuietPeriod = Duration.ofMinutes(30);
        private final Set<ChannelType> excluded = new HashSet<>();
        private final Map<String, Map<State, String>> texts = new LinkedHashMap<>();
        private String defaultLanguage = "en";

        private Builder() {
            targets.put(ChannelType.EMAIL, Duration.ofHours(1));
        }

        /** The response target of a channel type, in business time (default: email 1 hour, others 5 minutes). */
        public Builder target(ChannelType type, Duration target) {
            targets.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(target, "target"));
            return this;
        }

        /** The response target of channel types without their own (default 5 minutes). */
        public Builder defaultTarget(Duration target) {
            this.defaultTarget = Objects.requireNonNull(target, "defaultTarget");
            return this;
        }

        /** At most one acknowledgement per conversation within this period (default 4 hours). */
        public Builder period(Duration period) {
            this.period = Objects.requireNonNull(period, "period");
            return this;
        }

        /** No acknowledgement when an agent replied within this period (default 30 minutes). */
        public Builder agentQuietPeriod(Duration quiet) {
            this.agentQuietPeriod = Objects.requireNonNull(quiet, "agentQuietPeriod");
            return this;
        }

        /** Never acknowledge on channels of this type. */
        public Builder exclude(ChannelType type) {
            excluded.add(Objects.requireNonNull(type, "type"));
            return this;
        }

        /** The template of a language ({@code en}, {@code ru}, {@code pt-br}) for one state. */
        public Builder template(String language, State state, String text) {
            texts.computeIfAbsent(Objects.requireNonNull(language, "language").toLowerCase(Locale.ROOT),
                    l -> new LinkedHashMap<>()).put(Objects.requireNonNull(state, "state"),
                    Objects.requireNonNull(text, "text"));
            return this;
        }

        /** The language used when the customer's has no templates (default {@code en}). */
        public Builder defaultLanguage(String language) {
            this.defaultLanguage = Objects.requireNonNull(language, "defaultLanguage").toLowerCase(Locale.ROOT);
            return this;
        }

        /**
         * Checks everything and builds the policy.
         *
         * @throws IllegalArgumentException naming each offending item: a template with an unknown variable or a
         *     variable without its needed default, a language missing its OPEN or CLOSED template, no templates for
         *     the default language, a target or period that is zero or negative
         */
        public AckPolicy build() {
            List<String> errors = new ArrayList<>();
            Map<String, Map<State, AckTemplate>> parsed = new LinkedHashMap<>();
            texts.forEach((language, byState) -> {
                Map<State, AckTemplate> ts = new LinkedHashMap<>();
                for (State s : State.values()) {
                    String text = byState.get(s);
                    if (text == null) {
                        errors.add("template." + language + "." + s + " is missing");
                        continue;
                    }
                    try {
                        ts.put(s, AckTemplate.of(text));
                    } catch (IllegalArgumentException e) {
                        errors.add("template." + language + "." + s + ": " + e.getMessage());
                    }
                }
                parsed.put(language, Map.copyOf(ts));
            });
            if (!texts.containsKey(defaultLanguage)) {
                errors.add("defaultLanguage '" + defaultLanguage + "' has no templates");
            }
            targets.forEach((type, t) -> {
                if (t.isZero() || t.isNegative()) {
                    errors.add("target." + type.value() + " must be positive: " + t);
                }
            });
            if (defaultTarget.isZero() || defaultTarget.isNegative()) {
                errors.add("defaultTarget must be positive: " + defaultTarget);
            }
            if (period.isNegative()) {
                errors.add("period must not be negative: " + period);
            }
            if (agentQuietPeriod.isNegative()) {
                errors.add("agentQuietPeriod must not be negative: " + agentQuietPeriod);
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("invalid acknowledgement policy: " + String.join("; ", errors));
            }
            return new AckPolicy(true, Map.copyOf(targets), defaultTarget, period, agentQuietPeriod,
                    Set.copyOf(excluded), Map.copyOf(parsed), defaultLanguage);
        }
    }
}
