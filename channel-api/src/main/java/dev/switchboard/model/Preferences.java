package dev.switchboard.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How a customer wants to be reached: preferred channel types in order ("email me, else Telegram"), channel types
 * they must not be contacted on, quiet hours for proactive messages in their time zone, the language they asked to be
 * written in, and their consent history (a copy of their entries in the consent ledger, so {@link #hasConsent} can be
 * answered from the customer alone). Merges combine preferences so the most restrictive one wins: a do-not-contact or
 * a withdrawn consent is never lost. Immutable and thread-safe.
 *
 * @param preferredChannel the first preferred channel type
 * @param doNotContact channel types never to use
 * @param consents the consent history, oldest first; the latest matching record is in force
 * @param fallbackChannels further preferred channel types, in order, after {@code preferredChannel}
 * @param quietHours when proactive messages must wait, in the customer's time zone
 * @param language the language the customer asked to be written in (a BCP 47 tag such as {@code ru})
 */
public record Preferences(Optional<ChannelType> preferredChannel, Set<ChannelType> doNotContact, List<Consent> consents,
                          List<ChannelType> fallbackChannels, Optional<QuietHours> quietHours,
                          Optional<String> language) {
    /** No preferences: no preferred channel, nothing forbidden, no consent, no quiet hours, no language. */
    public static final Preferences NONE = new Preferences(Optional.empty(), Set.of(), List.of());

    /**
     * Copies the collections; a missing optional part (a customer stored before it existed) reads as empty. The
     * fallback list never repeats the preferred channel and is empty when there is no preferred channel.
     */
    public Preferences {
        Objects.requireNonNull(preferredChannel, "preferredChannel");
        doNotContact = Set.copyOf(doNotContact);
        consents = List.copyOf(consents);
        fallbackChannels = fallbackChannels == null || preferredChannel.isEmpty() ? List.of()
                : List.copyOf(new LinkedHashSet<>(fallbackChannels.stream()
                        .filter(t -> !t.equals(preferredChannel.get())).toList()));
        quietHours = quietHours == null ? Optional.empty() : quietHours;
        language = language == null ? Optional.empty() : language;
    }

    /** Preferences without fallback channels, quiet hours or language (the form before those existed). */
    public Preferences(Optional<ChannelType> preferredChannel, Set<ChannelType> doNotContact, List<Consent> consents) {
        this(preferredChannel, doNotContact, consents, List.of(), Optional.empty(), Optional.empty());
    }

    /** Whether the customer may be contacted on channels of this type at all. */
    public boolean allows(ChannelType type) {
        return !doNotContact.contains(type);
    }

    /** The preferred channel types in order (the preferred one, then the fallbacks); empty when none was given. */
    public List<ChannelType> preferredChannels() {
        List<ChannelType> all = new ArrayList<>();
        preferredChannel.ifPresent(all::add);
        all.addAll(fallbackChannels);
        return List.copyOf(all);
    }

    /**
     * Whether a proactive message (a campaign, a notification) must wait at {@code instant} because it falls in the
     * customer's quiet hours. Replies to a customer who just wrote are not held back by it.
     */
    public boolean quietAt(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        return quietHours.map(q -> q.contains(instant)).orElse(false);
    }

    /** The consent in force for a purpose on a channel type: the latest matching record, channel-specific or general. */
    public Optional<Consent> consentInForce(String purpose, ChannelType type) {
        return consents.stream()
                .filter(c -> c.purpose().equals(purpose))
                .filter(c -> c.channelType().isEmpty() || c.channelType().get().equals(type))
                .max(Comparator.comparing(Consent::at));
    }

    /** True only when a granted consent is in force; no record means no consent. */
    public boolean hasConsent(String purpose, ChannelType type) {
        return consentInForce(purpose, type).map(Consent::granted).orElse(false);
    }

    /** A copy whose only preferred channel type is {@code type}. */
    public Preferences withPreferredChannel(ChannelType type) {
        return new Preferences(Optional.of(type), doNotContact, consents, List.of(), quietHours, language);
    }

    /** A copy preferring {@code first}, then each of {@code then} in order. */
    public Preferences withPreferredChannels(ChannelType first, ChannelType... then) {
        Objects.requireNonNull(first, "first");
        return new Preferences(Optional.of(first), doNotContact, consents, List.of(then), quietHours, language);
    }

    /** A copy that also never uses channels of {@code type}. */
    public Preferences withDoNotContact(ChannelType type) {
        var set = new java.util.HashSet<>(doNotContact);
        set.add(type);
        return new Preferences(preferredChannel, set, consents, fallbackChannels, quietHours, language);
    }

    /** A copy that may use channels of {@code type} again. */
    public Preferences withoutDoNotContact(ChannelType type) {
        var set = new java.util.HashSet<>(doNotContact);
        set.remove(type);
        return new Preferences(preferredChannel, set, consents, fallbackChannels, quietHours, language);
    }

    /** A copy with these quiet hours. */
    public Preferences withQuietHours(QuietHours hours) {
        return new Preferences(preferredChannel, doNotContact, consents, fallbackChannels,
                Optional.of(Objects.requireNonNull(hours, "hours")), language);
    }

    /** A copy without quiet hours. */
    public Preferences withoutQuietHours() {
        return new Preferences(preferredChannel, doNotContact, consents, fallbackChannels, Optional.empty(), language);
    }

    /** A copy with the language the customer asked for (a BCP 47 tag such as {@code ru}). */
    public Preferences withLanguage(String languageTag) {
        Objects.requireNonNull(languageTag, "languageTag");
        if (languageTag.isBlank()) {
            throw new IllegalArgumentException("languageTag must not be blank");
        }
        return new Preferences(preferredChannel, doNotContact, consents, fallbackChannels, quietHours,
                Optional.of(languageTag));
    }

    /** A copy with {@code consent} appended to the history. */
    public Preferences withConsent(Consent consent) {
        var list = new ArrayList<>(consents);
        list.add(consent);
        return new Preferences(preferredChannel, doNotContact, list, fallbackChannels, quietHours, language);
    }

    /** A copy with the consent history replaced (the ledger keeps the evidence; see the consent ledger). */
    public Preferences withConsents(List<Consent> history) {
        return new Preferences(preferredChannel, doNotContact, history, fallbackChannels, quietHours, language);
    }

    /** Convenience for recording a consent decision now. */
    public Preferences withConsent(String purpose, boolean granted, String source, Instant at) {
        return withConsent(new Consent(purpose, Optional.empty(), granted, at, source));
    }
}
