package dev.switchboard.inbox.sla;

import dev.switchboard.model.ChannelType;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.Priority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One SLA policy of a tenant: which conversations it applies to (channel types, priorities, tags such as a team, and
 * customer attributes; an empty condition matches anything), its targets per {@link SlaKind} counted in business
 * time (the tenant's calendar for the conversation, from {@code TenantInbox.calendars()}) or calendar time, the
 * fraction of a target at which the warning fires, when the clock pauses (the conversation's status or a tag meaning
 * "waiting for the customer"), and the escalation actions on warning and on breach. A conversation gets the first
 * policy of the tenant's list that matches it. Immutable; built by {@link #builder(String)} and checked at
 * {@code build()}.
 *
 * <pre>{@code
 * SlaPolicy chat = SlaPolicy.builder("chat")
 *         .channelTypes(ChannelType.TELEGRAM)
 *         .firstResponse(Duration.ofMinutes(5)).nextResponse(Duration.ofMinutes(10))
 *         .resolution(Duration.ofHours(8)).businessTime(true)
 *         .onBreach(SlaAction.raisePriority())
 *         .build();
 * }</pre>
 */
public record SlaPolicy(String name, Set<ChannelType> channelTypes, Set<Priority> priorities, Set<String> tags,
                        Map<String, String> customerAttributes, Map<SlaKind, Duration> targets, boolean businessTime,
                        double warnAt, Set<ConversationStatus> pauseStatuses, Set<String> pauseTags,
                        List<SlaAction> onWarning, List<SlaAction> onBreach) {
    public SlaPolicy {
        Objects.requireNonNull(name, "name");
        channelTypes = Set.copyOf(channelTypes);
        priorities = Set.copyOf(priorities);
        tags = Set.copyOf(tags);
        customerAttributes = Map.copyOf(customerAttributes);
        targets = Map.copyOf(targets);
        pauseStatuses = Set.copyOf(pauseStatuses);
        pauseTags = Set.copyOf(pauseTags);
        onWarning = List.copyOf(onWarning);
        onBreach = List.copyOf(onBreach);
    }

    /** A builder for a policy named {@code name} (unique within the tenant; it names the policy in events). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The target of this kind, empty when the policy sets none. */
    public Optional<Duration> target(SlaKind kind) {
        return Optional.ofNullable(targets.get(kind));
    }

    /** Whether the policy has no conditions (so every later policy of the list is unreachable). */
    public boolean matchesEverything() {
        return channelTypes.isEmpty() && priorities.isEmpty() && tags.isEmpty() && customerAttributes.isEmpty();
    }

    /**
     * Whether this policy matches every conversation {@code later} matches (each of its conditions is absent or at
     * least as wide), so that {@code later}, listed after it, could never apply.
     */
    boolean covers(SlaPolicy later) {
        return wider(channelTypes, later.channelTypes) && wider(priorities, later.priorities)
                && wider(tags, later.tags)
                && customerAttributes.entrySet().stream()
                        .allMatch(e -> e.getValue().equals(later.customerAttributes.get(e.getKey())));
    }

    /** An any-of condition that is absent, or holds every value of the other (which is not absent). */
    private static boolean wider(Set<?> mine, Set<?> theirs) {
        return mine.isEmpty() || !theirs.isEmpty() && mine.containsAll(theirs);
    }

    /** Whether this policy applies to a conversation with these properties. */
    public boolean matches(Optional<ChannelType> channelType, Priority priority, Set<String> conversationTags,
                           Map<String, String> attributes) {
        return (channelTypes.isEmpty() || channelType.isPresent() && channelTypes.contains(channelType.get()))
                && (priorities.isEmpty() || priorities.contains(priority))
                && (tags.isEmpty() || tags.stream().anyMatch(conversationTags::contains))
                && customerAttributes.entrySet().stream()
                        .allMatch(e -> e.getValue().equals(attributes.get(e.getKey())));
    }

    /** Builds a {@link SlaPolicy}; every option is checked at {@link #build()}, the message naming the policy. */
    public static final class Builder {
        private final String name;
        private Set<ChannelType> channelTypes = Set.of();
        private Set<Priority> priorities = Set.of();
        private Set<String> tags = Set.of();
        private final Map<String, String> customerAttributes = new LinkedHashMap<>();
        private final Map<SlaKind, Duration> targets = new EnumMap<>(SlaKind.class);
        private boolean businessTime;
        private double warnAt = 0.8;
        private Set<ConversationStatus> pauseStatuses = Set.of(ConversationStatus.PENDING, ConversationStatus.SNOOZED);
        private Set<String> pauseTags = Set.of();
        private final List<SlaAction> onWarning = new ArrayList<>();
        private final List<SlaAction> onBreach = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Applies only to conversations on these channel types. */
        public Builder channelTypes(ChannelType... types) {
            channelTypes = new LinkedHashSet<>(List.of(types));
            if (types.length == 0) {
                problems.add("channelTypes is empty, so the policy matches nothing");
            }
            return this;
        }

        /** Applies only to conversations of these priorities. */
        public Builder priorities(Priority... values) {
            priorities = new LinkedHashSet<>(List.of(values));
            if (values.length == 0) {
                problems.add("priorities is empty, so the policy matches nothing");
            }
            return this;
        }

        /** Applies only to conversations with any of these tags (a team, a queue, a product). */
        public Builder tags(String... values) {
            tags = new LinkedHashSet<>(List.of(values));
            if (values.length == 0) {
                problems.add("tags is empty, so the policy matches nothing");
            }
            return this;
        }

        /** Applies only to customers whose attribute {@code key} equals {@code value} (e.g. plan = gold). */
        public Builder customerAttribute(String key, String value) {
            customerAttributes.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The target from the customer's first message to a person's first reply. */
        public Builder firstResponse(Duration target) {
            return target(SlaKind.FIRST_RESPONSE, target);
        }

        /** The target from a customer's message after a reply to the next reply. */
        public Builder nextResponse(Duration target) {
            return target(SlaKind.NEXT_RESPONSE, target);
        }

        /** The target from the customer's first message to the resolution. */
        public Builder resolution(Duration target) {
            return target(SlaKind.RESOLUTION, target);
        }

        /** The target of one kind; must be positive. */
        public Builder target(SlaKind kind, Duration target) {
            targets.put(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(target, "target"));
            return this;
        }

        /** Count targets in the business hours of the conversation's calendar (default false: calendar time). */
        public Builder businessTime(boolean value) {
            businessTime = value;
            return this;
        }

        /** The fraction of a target after which the warning fires (default 0.8); 1 warns never. */
        public Builder warnAt(double fraction) {
            warnAt = fraction;
            return this;
        }

        /** The statuses in which the clock stands still (default PENDING and SNOOZED: waiting for the customer). */
        public Builder pauseStatuses(ConversationStatus... statuses) {
            pauseStatuses = Set.of(statuses);
            return this;
        }

        /** Tags with which the clock stands still (e.g. "waiting-for-customer"). */
        public Builder pauseTags(String... values) {
            pauseTags = Set.of(values);
            return this;
        }

        /** An escalation run once when a deadline's warning fires. */
        public Builder onWarning(SlaAction action) {
            onWarning.add(Objects.requireNonNull(action, "action"));
            return this;
        }

        /** An escalation run once when a deadline is breached. */
        public Builder onBreach(SlaAction action) {
            onBreach.add(Objects.requireNonNull(action, "action"));
            return this;
        }

        /** @throws IllegalArgumentException naming the policy and the option when one is invalid */
        public SlaPolicy build() {
            String label = "SLA policy " + name + ": ";
            if (name.isBlank()) {
                throw new IllegalArgumentException("SLA policy name must not be blank");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(label + problems.get(0));
            }
            if (targets.isEmpty()) {
                throw new IllegalArgumentException(label + "sets no target (firstResponse, nextResponse, resolution)");
            }
            targets.forEach((kind, d) -> {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException(label + "target " + kind + " must be positive, was " + d);
                }
            });
            if (!(warnAt > 0 && warnAt <= 1)) {
                throw new IllegalArgumentException(label + "warnAt must be in (0, 1], was " + warnAt);
            }
            if (pauseStatuses.contains(ConversationStatus.OPEN) || pauseStatuses.contains(ConversationStatus.RESOLVED)) {
                throw new IllegalArgumentException(label + "pauseStatuses may hold PENDING and SNOOZED only, was "
                        + pauseStatuses);
            }
            return new SlaPolicy(name, channelTypes, priorities, tags, customerAttributes, targets, businessTime,
                    warnAt, pauseStatuses, pauseTags, onWarning, onBreach);
        }
    }
}
