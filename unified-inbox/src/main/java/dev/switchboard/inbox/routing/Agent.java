package dev.switchboard.inbox.routing;

import dev.switchboard.channel.ConfigChecks;
import dev.switchboard.model.ChannelType;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who answers conversations in one tenant: an id, a display name, the languages they answer in (most fluent first),
 * their skills and teams, how many open conversations they handle at once overall and, optionally, per channel type.
 * An agent is never tied to a channel: any channel's conversation may reach them within those limits. Immutable;
 * build one with {@link #builder(String)}, which validates every option and names the offending one.
 *
 * <pre>{@code
 * Agent anna = Agent.builder("anna").displayName("Anna").languages("ru", "en").skills("billing")
 *         .teams("support").capacity(5).capacity(ChannelType.EMAIL, 3).build();
 * }</pre>
 *
 * @param id the agent's id within the tenant (what {@code Conversation.assignee()} holds)
 * @param displayName the name shown to colleagues
 * @param languages language tags (BCP 47, lower case) in the order of preference
 * @param skills what the agent can handle (routing requires all the skills a conversation needs)
 * @param teams the teams (queues) the agent serves; every agent serves the {@code default} queue
 * @param capacity the most open conversations assigned at once, over all channels
 * @param channelCapacity a lower limit for some channel types (e.g. email 3 of an overall 5)
 */
public record Agent(String id, String displayName, List<String> languages, Set<String> skills, Set<String> teams,
                    int capacity, Map<ChannelType, Integer> channelCapacity) {

    /** Names of skills, teams and languages: letters, digits, {@code . _ - :}, up to 64 characters. */
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}._:-]{1,64}");

    /** Copies the collections; {@link #builder(String)} validates, this only rejects nulls. */
    public Agent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        languages = List.copyOf(languages);
        skills = Set.copyOf(skills);
        teams = Set.copyOf(teams);
        channelCapacity = Map.copyOf(channelCapacity);
    }

    /** A builder for the agent {@code id}. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder holding this agent's settings, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder(id).displayName(displayName).capacity(capacity);
        b.languages.addAll(languages);
        b.skills.addAll(skills);
        b.teams.addAll(teams);
        b.channelCapacity.putAll(channelCapacity);
        return b;
    }

    /** How many open conversations of {@code type} this agent may hold: its channel limit, else its overall one. */
    public int capacityFor(ChannelType type) {
        return Math.min(capacity, channelCapacity.getOrDefault(type, capacity));
    }

    /** Whether the agent serves queue {@code queue} (every agent serves {@link RoutingSettings#DEFAULT_QUEUE}). */
    public boolean serves(String queue) {
        return RoutingSettings.DEFAULT_QUEUE.equals(queue) || teams.contains(queue);
    }

    /** Builds an {@link Agent}; {@link #build()} checks every option. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private String displayName;
        private final List<String> languages = new java.util.ArrayList<>();
        private final Set<String> skills = new LinkedHashSet<>();
        private final Set<String> teams = new LinkedHashSet<>();
        private int capacity = 1;
        private final Map<ChannelType, Integer> channelCapacity = new LinkedHashMap<>();

        private Builder(String id) {
            this.id = id;
        }

        /** The name shown to colleagues (default: the id). */
        public Builder displayName(String displayName) {
            this.displayName = displayName;
            return this;
        }

        /** The languages the agent answers in, most fluent first (replacing any given before). */
        public Builder languages(String... languages) {
            this.languages.clear();
            for (String l : languages) {
                this.languages.add(l == null ? null : l.toLowerCase(java.util.Locale.ROOT));
            }
            return this;
        }

        /** The agent's skills (replacing any given before). */
        public Builder skills(String... skills) {
            this.skills.clear();
            this.skills.addAll(java.util.Arrays.asList(skills));
            return this;
        }

        /** The teams the agent serves (replacing any given before). */
        public Builder teams(String... teams) {
            this.teams.clear();
            this.teams.addAll(java.util.Arrays.asList(teams));
            return this;
        }

        /** The most open conversations at once, over all channels (default 1; 0 takes none). */
        public Builder capacity(int capacity) {
            this.capacity = capacity;
            return this;
        }

        /** The most open conversations at once of one channel type. */
        public Builder capacity(ChannelType type, int capacity) {
            channelCapacity.put(ConfigChecks.required(type, "agent " + id + " channel type"), capacity);
            return this;
        }

        /**
         * The agent.
         *
         * @throws IllegalArgumentException naming the agent and the option when one is invalid
         */
        public Agent build() {
            ConfigChecks.check(id != null && !id.isBlank() && id.length() <= 256 && id.strip().equals(id),
                    "agent id", id, "1-256 characters without surrounding spaces");
            String name = displayName == null ? id : displayName;
            ConfigChecks.check(!name.isBlank() && name.length() <= 256, "agent " + id + " displayName", name,
                    "1-256 characters");
            checkNames("languages", languages);
            checkNames("skills", skills);
            checkNames("teams", teams);
            ConfigChecks.check(capacity >= 0 && capacity <= 10_000, "agent " + id + " capacity", capacity,
                    "0-10000");
            channelCapacity.forEach((type, limit) -> ConfigChecks.check(limit != null && limit >= 0
                    && limit <= 10_000, "agent " + id + " capacity for " + type.value(), limit, "0-10000"));
            return new Agent(id, name, List.copyOf(languages), skills, teams, capacity, channelCapacity);
        }

        private void checkNames(String option, java.util.Collection<String> names) {
            for (String n : names) {
                ConfigChecks.check(n != null && NAME.matcher(n).matches(), "agent " + id + " " + option, n,
                        "1-64 letters, digits or . _ - :");
            }
        }
    }
}
