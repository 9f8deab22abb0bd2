package dev.switchboard.inbox.survey;

import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant's satisfaction-survey rules: which resolved conversations get a survey (channel types, channels, teams;
 * never those tagged with an excluded tag such as {@code spam}), at most one per customer per {@link #oncePer()}, how
 * long a rating is accepted ({@link #answerWindow()}) and a comment after it ({@link #commentWindow()}), and what the
 * survey says per language (a question and five labels, rating 1 first). Immutable; build with {@link #builder()}, or
 * take {@link #disabled()} (the default).
 *
 * <pre>{@code
 * SurveyPolicy policy = SurveyPolicy.builder()
 *         .channelTypes(ChannelType.TELEGRAM, ChannelType.EMAIL)
 *         .oncePer(Duration.ofDays(7))
 *         .template("en", "How did we do, {customer_name|there}?")
 *         .build();
 * }</pre>
 */
public final class SurveyPolicy {
    /** The start of every survey button's payload: {@code survey:<survey id>:<rating>}. */
    public static final String PAYLOAD_PREFIX = "survey:";
    /** The default labels of ratings 1-5. */
    public static final List<String> DEFAULT_LABELS = List.of("Very poor", "Poor", "Okay", "Good", "Excellent");

    private static final SurveyPolicy DISABLED = new SurveyPolicy(new Builder(), false);

    private final boolean enabled;
    private final Set<ChannelType> channelTypes;
    private final Set<ChannelId> channels;
    private final Set<ChannelId> excludedChannels;
    private final Set<String> teams;
    private final Set<String> excludedTags;
    private final boolean agentHandledOnly;
    private final Duration oncePer;
    private final Duration answerWindow;
    private final Duration commentWindow;
    private final String defaultLanguage;
    private final Map<String, Template> templates;

    /** The question and the five labels of one language. */
    private record Template(String question, List<String> labels) {
    }

    private SurveyPolicy(Builder b, boolean enabled) {
        this.enabled = enabled;
        this.channelTypes = Set.copyOf(b.channelTypes);
        this.channels = Set.copyOf(b.channels);
        this.excludedChannels = Set.copyOf(b.excludedChannels);
        this.teams = Set.copyOf(b.teams);
        this.excludedTags = Set.copyOf(b.excludedTags);
        this.agentHandledOnly = b.agentHandledOnly;
        this.oncePer = b.oncePer;
        this.answerWindow = b.answerWindow;
        this.commentWindow = b.commentWindow;
        this.defaultLanguage = b.defaultLanguage;
        this.templates = Map.copyOf(b.templates);
    }

    /** No surveys (the default of every tenant). */
    public static SurveyPolicy disabled() {
        return DISABLED;
    }

    /** A builder: every channel and team, tags {@code spam} and {@code automated} excluded, English texts. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether surveys are sent at all. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Whether a conversation resolved on {@code channel} of {@code type}, with {@code tags}, handled by an agent of
     * {@code agentTeams}, gets a survey (before the once-per-customer check).
     */
    public boolean appliesTo(ChannelId channel, ChannelType type, Set<String> tags, Set<String> agentTeams) {
        if (!enabled || excludedChannels.contains(channel)) {
            return false;
        }
        if (!channels.isEmpty() || !channelTypes.isEmpty()) {
            if (!channels.contains(channel) && !channelTypes.contains(type)) {
                return false;
            }
        }
        for (String t : tags) {
            if (excludedTags.contains(t)) {
                return false;
            }
        }
        return teams.isEmpty() || agentTeams.stream().anyMatch(teams::contains);
    }

    /**
     * Whether only conversations an agent handled (an assignee, or a reply an agent wrote) are surveyed; default
     * false (a conversation only a bot or automatic messages answered is surveyed too, with no agent).
     */
    public boolean agentHandledOnly() {
        return agentHandledOnly;
    }

    /** At most one survey per customer within this period (default 7 days). */
    public Duration oncePer() {
        return oncePer;
    }

    /** How long after sending a rating is accepted (default 3 days). */
    public Duration answerWindow() {
        return answerWindow;
    }

    /** How long after the rating the customer's next message is taken as its comment (default 30 minutes; 0: never). */
    public Duration commentWindow() {
        return commentWindow;
    }

    /** Tags that keep a conversation from being surveyed. */
    public Set<String> excludedTags() {
        return excludedTags;
    }

    /** The template language for a customer's language tag ({@code ru-RU} tries {@code ru-ru}, then {@code ru}). */
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

    /** The question in {@code language}, with {@code {customer_name|default}} filled in. */
    public String question(String language, Optional<String> customerName) {
        String q = template(language).question();
        int start = q.indexOf("{customer_name|");
        if (start < 0) {
            return q;
        }
        int end = q.indexOf('}', start);
        String fallback = q.substring(start + "{customer_name|".length(), end);
        return q.substring(0, start) + customerName.filter(n -> !n.isBlank()).orElse(fallback)
                + q.substring(end + 1);
    }

    /** The labels of ratings 1-5 in {@code language}. */
    public List<String> labels(String language) {
        return template(language).labels();
    }

    private Template template(String language) {
        return templates.getOrDefault(language, templates.get(defaultLanguage));
    }

    @Override
    public String toString() {
        return enabled ? "SurveyPolicy[channelTypes=" + channelTypes + ", channels=" + channels + ", teams=" + teams
                + ", oncePer=" + oncePer + ", languages=" + templates.keySet() + "]" : "SurveyPolicy[disabled]";
    }

    /** Builds a {@link SurveyPolicy}; every option is checked at {@link #build()}. */
    public static final class Builder {
        private final Set<ChannelType> channelTypes = new LinkedHashSet<>();
        private final Set<ChannelId> channels = new LinkedHashSet<>();
        private final Set<ChannelId> excludedChannels = new LinkedHashSet<>();
        private final Set<String> teams = new LinkedHashSet<>();
        private final Set<String> excludedTags = new LinkedHashSet<>(List.of("spam", "automated"));
        private boolean agentHandledOnly;
        private Duration oncePer = Duration.ofDays(7);
        private Duration answerWindow = Duration.ofDays(3);
        private Duration commentWindow = Duration.ofMinutes(30);
        private String defaultLanguage = "en";
        private final Map<String, Template> templates = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();

        private Builder() {
            templates.put("en", new Template("How would you rate our help?", DEFAULT_LABELS));
        }

        /** Survey conversations on channels of these types (with {@link #channels}: either matches; default all). */
        public Builder channelTypes(ChannelType... types) {
            channelTypes.addAll(List.of(types));
            return this;
        }

        /** Survey conversations on these channels (with {@link #channelTypes}: either matches; default all). */
        public Builder channels(ChannelId... ids) {
            channels.addAll(List.of(ids));
            return this;
        }

        /** Never survey conversations on these channels. */
        public Builder excludeChannels(ChannelId... ids) {
            excludedChannels.addAll(List.of(ids));
            return this;
        }

        /** Survey only conversations resolved by an agent of one of these routing teams (default: any, or none). */
        public Builder teams(String... names) {
            teams.addAll(List.of(names));
            return this;
        }

        /** Replaces the excluded tags (default {@code spam}, {@code automated}). */
        public Builder excludeTags(String... tags) {
            excludedTags.clear();
            excludedTags.addAll(List.of(tags));
            return this;
        }

        /** Survey only conversations an agent handled: no survey where only automatic messages answered. */
        public Builder agentHandledOnly() {
            this.agentHandledOnly = true;
            return this;
        }

        /** At most one survey per customer within this period (default 7 days; zero: one per resolution). */
        public Builder oncePer(Duration period) {
            this.oncePer = Objects.requireNonNull(period, "oncePer");
            return this;
        }

        /** How long a rating is accepted after sending (default 3 days). */
        public Builder answerWindow(Duration window) {
            this.answerWindow = Objects.requireNonNull(window, "answerWindow");
            return this;
        }

        /** How long after the rating the next message is taken as a comment (default 30 minutes; zero: never). */
        public Builder commentWindow(Duration window) {
            this.commentWindow = Objects.requireNonNull(window, "commentWindow");
            return this;
        }

        /** The language used when the customer's has no template (default {@code en}). */
        public Builder defaultLanguage(String language) {
            this.defaultLanguage = Objects.requireNonNull(language, "defaultLanguage").toLowerCase(Locale.ROOT);
            return this;
        }

        /**
         * The question in {@code language} (it may say {@code {customer_name|fallback}}), with the default labels, or
         * with five labels of ratings 1-5.
         */
        public Builder template(String language, String question, String... labels) {
            Objects.requireNonNull(language, "language");
            Objects.requireNonNull(question, "question");
            String lang = language.toLowerCase(Locale.ROOT);
            List<String> l = labels.length == 0 ? DEFAULT_LABELS : List.of(labels);
            if (l.size() != 5) {
                problems.add("template." + lang + ": needs 5 labels (ratings 1-5), got " + l.size());
            }
            if (question.isBlank()) {
                problems.add("template." + lang + ": question is blank");
            }
            int v = question.indexOf('{');
            if (v >= 0 && !question.startsWith("{customer_name|", v)) {
                problems.add("template." + lang + ": unknown variable in '" + question
                        + "' (only {customer_name|fallback})");
            }
            templates.put(lang, new Template(question, l));
            return this;
        }

        /** The policy; fails with one message naming every invalid option. */
        public SurveyPolicy build() {
            List<String> all = new ArrayList<>(problems);
            if (oncePer.isNegative()) {
                all.add("oncePer must not be negative, got " + oncePer);
            }
            if (answerWindow.isNegative() || answerWindow.isZero()) {
                all.add("answerWindow must be positive, got " + answerWindow);
            }
            if (commentWindow.isNegative()) {
                all.add("commentWindow must not be negative, got " + commentWindow);
            }
            if (!templates.containsKey(defaultLanguage)) {
                all.add("defaultLanguage " + defaultLanguage + " has no template");
            }
            if (!all.isEmpty()) {
                throw new IllegalArgumentException("survey policy is invalid: " + String.join("; ", all));
            }
            return new SurveyPolicy(this, true);
        }
    }
}
