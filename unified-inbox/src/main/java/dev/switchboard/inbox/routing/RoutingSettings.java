package dev.switchboard.inbox.routing;

import dev.switchboard.channel.ConfigChecks;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Conversation;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How one tenant routes: the router (policy) of each queue, which queue and skills a conversation needs, the language
 * of each channel when the customer's profile has none, how long a customer stays with the agent who served them
 * ("sticky"), and how long an agent may be offline before their unanswered conversations go back to the queue.
 * Immutable; build with {@link #builder()}, which checks every option.
 *
 * <pre>{@code
 * desk.routing().configure(RoutingSettings.builder()
 *         .router(Router.leastBusy())
 *         .router("vip", Router.skillsMatch())
 *         .queue(conversation -> conversation.tags().contains("vip") ? "vip" : RoutingSettings.DEFAULT_QUEUE)
 *         .channelLanguage(ChannelId.of("tg-ru"), "ru")
 *         .stickyWindow(Duration.ofDays(3))
 *         .offlineGrace(Duration.ofMinutes(2))
 *         .build());
 * }</pre>
 *
 * @param router the router of every queue without its own
 * @param queueRouters routers per queue name
 * @param queue which queue a conversation waits in
 * @param requiredSkills which skills an agent needs to take a conversation
 * @param channelLanguages the language of a channel's customers when their profile names none
 * @param stickyWindow how recently a customer must have been served by an agent to go back to them (zero: never)
 * @param offlineGrace how long an agent may be offline before their unanswered conversations return to the queue
 * @param routeInbound whether a customer's message routes its conversation by itself (else only {@code route},
 *     {@code assign} and {@code take} do; capacity freed still assigns waiting conversations)
 */
public record RoutingSettings(Router router, Map<String, Router> queueRouters,
                              Function<Conversation, String> queue,
                              Function<Conversation, Set<String>> requiredSkills,
                              Map<ChannelId, String> channelLanguages, Duration stickyWindow, Duration offlineGrace,
                              boolean routeInbound) {

    /** The queue every conversation waits in unless {@link Builder#queue} says otherwise; every agent serves it. */
    public static final String DEFAULT_QUEUE = "default";

    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}._:-]{1,64}");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RoutingSettings.class);

    /** Checks that no component is null and copies the maps. */
    public RoutingSettings {
        Objects.requireNonNull(router, "router");
        queueRouters = Map.copyOf(queueRouters);
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(requiredSkills, "requiredSkills");
        channelLanguages = Map.copyOf(channelLanguages);
        Objects.requireNonNull(stickyWindow, "stickyWindow");
        Objects.requireNonNull(offlineGrace, "offlineGrace");
    }

    /** Least busy over one default queue, no stickiness, a two-minute offline grace. */
    public static RoutingSettings defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The router serving {@code queue}. */
    public Router routerFor(String queueName) {
        return queueRouters.getOrDefault(queueName, router);
    }

    /** Whether any queue assigns by itself (false when every router is {@link Router#manual()}). */
    boolean anyAutomatic() {
        return router.assignsAutomatically() || queueRouters.values().stream().anyMatch(Router::assignsAutomatically);
    }

    /**
     * The queue the {@link #queue()} function names for a conversation; {@link #DEFAULT_QUEUE} when it fails or names
     * no valid queue (1-64 letters, digits or {@code . _ - :}), logged with the conversation and the value, so the
     * conversation is still served.
     */
    String queueOf(Conversation c) {
        String name;
        try {
            name = queue.apply(c);
        } catch (RuntimeException e) {
            LOG.warn("The routing queue function failed for conversation {}; it waits in the default queue: {}",
                    c.id(), e.toString());
            return DEFAULT_QUEUE;
        }
        if (name == null || !NAME.matcher(name).matches()) {
            LOG.warn("The routing queue function named no valid queue for conversation {} (got {}); it waits in the "
                    + "default queue", c.id(), name);
            return DEFAULT_QUEUE;
        }
        return name;
    }

    /** The skills the {@link #requiredSkills()} function names for a conversation; none when it fails (logged). */
    Set<String> requiredSkillsOf(Conversation c) {
        try {
            Set<String> skills = requiredSkills.apply(c);
            if (skills != null && skills.stream().allMatch(java.util.Objects::nonNull)) {
                return skills;
            }
            LOG.warn("The routing skills function returned null for conversation {}; no skills required", c.id());
        } catch (RuntimeException e) {
            LOG.warn("The routing skills function failed for conversation {}; no skills required: {}", c.id(),
                    e.toString());
        }
        return Set.of();
    }

    /** The language of a channel's customers, when configured. */
    Optional<String> languageOf(ChannelId channel) {
        return Optional.ofNullable(channelLanguages.get(channel));
    }

    /** Builds {@link RoutingSettings}; not thread-safe. */
    public static final class Builder {
        private Router router = Router.leastBusy();
        private final Map<String, Router> queueRouters = new LinkedHashMap<>();
        private Function<Conversation, String> queue = c -> DEFAULT_QUEUE;
        private Function<Conversation, Set<String>> requiredSkills = c -> Set.of();
        private final Map<ChannelId, String> channelLanguages = new LinkedHashMap<>();
        private Duration stickyWindow = Duration.ZERO;
        private Duration offlineGrace = Duration.ofMinutes(2);
        private boolean routeInbound = true;

        private Builder() {
        }

        /** The router of every queue without its own (default {@link Router#leastBusy()}). */
        public Builder router(Router router) {
            this.router = ConfigChecks.required(router, "router");
            return this;
        }

        /** The router of one queue (a team name). */
        public Builder router(String queueName, Router router) {
            ConfigChecks.check(queueName != null && NAME.matcher(queueName).matches(), "router queue name",
                    queueName, "1-64 letters, digits or . _ - :");
            queueRouters.put(queueName, ConfigChecks.required(router, "router for queue " + queueName));
            return this;
        }

        /** Which queue a conversation waits in (default: {@link #DEFAULT_QUEUE}); agents of that team serve it. */
        public Builder queue(Function<Conversation, String> queue) {
            this.queue = ConfigChecks.required(queue, "queue");
            return this;
        }

        /** The skills an agent needs to take a conversation (default: none). */
        public Builder requiredSkills(Function<Conversation, Set<String>> requiredSkills) {
            this.requiredSkills = ConfigChecks.required(requiredSkills, "requiredSkills");
            return this;
        }

        /** The language of this channel's customers when their profile names none. */
        public Builder channelLanguage(ChannelId channel, String language) {
            ConfigChecks.required(channel, "channelLanguage channel");
            ConfigChecks.check(language != null && NAME.matcher(language).matches(),
                    "channelLanguage of " + channel.value(), language, "a language tag such as ru or pt-br");
            channelLanguages.put(channel, language.toLowerCase(java.util.Locale.ROOT));
            return this;
        }

        /** How recently a customer must have been served to go back to the same agent (default zero: off). */
        public Builder stickyWindow(Duration window) {
            this.stickyWindow = window;
            return this;
        }

        /** How long an agent may be offline before their unanswered conversations return (default 2 minutes). */
        public Builder offlineGrace(Duration grace) {
            this.offlineGrace = grace;
            return this;
        }

        /** Whether a customer's message routes its conversation by itself (default true). */
        public Builder routeInbound(boolean routeInbound) {
            this.routeInbound = routeInbound;
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException naming the option when one is out of range
         */
        public RoutingSettings build() {
            ConfigChecks.check(stickyWindow != null && !stickyWindow.isNegative()
                    && stickyWindow.compareTo(Duration.ofDays(365)) <= 0, "stickyWindow", stickyWindow, "0-365 days");
            ConfigChecks.check(offlineGrace != null && !offlineGrace.isNegative()
                    && offlineGrace.compareTo(Duration.ofDays(1)) <= 0, "offlineGrace", offlineGrace, "0-1 day");
            return new RoutingSettings(router, queueRouters, queue, requiredSkills, channelLanguages, stickyWindow,
                    offlineGrace, routeInbound);
        }
    }
}
