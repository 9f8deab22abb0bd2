package dev.switchboard.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How a customer wants to be reached: a preferred channel type, channel types they must not be contacted on
 * ("don't message me on Telegram, email me"), and their consent history. Merges combine preferences so the most
 * restrictive one wins: a do-not-contact or a revoked consent is never lost.
 */
public record Preferences(Optional<ChannelType> preferredChannel, Set<ChannelType> doNotContact, List<Consent> consents) {
    public static final Preferences NONE = new Preferences(Optional.empty(), Set.of(), List.of());

    public Preferences {
        Objects.requireNonNull(preferredChannel, "preferredChannel");
        doNotContact = Set.copyOf(doNotContact);
        consents = List.copyOf(consents);
    }

    /** Whether the customer may be contacted on channels of this type at all. */
    public boolean allows(ChannelType type) {
        return !doNotContact.contains(type);
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

    public Preferences withPreferredChannel(ChannelType type) {
        return new Preferences(Optional.of(type), doNotContact, consents);
    }

    public Preferences withDoNotContact(ChannelType type) {
        var set = new java.util.HashSet<>(doNotContact);
        set.add(type);
        return new Preferences(preferredChannel, set, consents);
    }

    public Preferences withoutDoNotContact(ChannelType type) {
        var set = new java.util.HashSet<>(doNotContact);
        set.remove(type);
        return new Preferences(preferredChannel, set, consents);
    }

    public Preferences withConsent(Consent consent) {
        var list = new ArrayList<>(consents);
        list.add(consent);
        return new Preferences(preferredChannel, doNotContact, list);
    }

    /** Convenience for recording a consent decision now. */
    public Preferences withConsent(String purpose, boolean granted, String source, Instant at) {
        return withConsent(new Consent(purpose, Optional.empty(), granted, at, source));
    }
}
