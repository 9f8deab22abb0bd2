package dev.switchboard.testkit;

/**
 * Platform abilities some kit tests rely on. A channel whose platform lacks one lists it in
 * {@link ChannelCompatibilityKit#unsupported()}; the kit then skips or relaxes the tests that need it, instead of
 * failing them.
 */
public enum KitFeature {
    /** The platform tells us how long to wait when it rate-limits (HTTP 429 {@code retry_after}). */
    RETRY_AFTER,
    /** The platform shows native buttons; without it choices must arrive as a numbered list. */
    BUTTONS,
    /** The platform redelivers an event whose acknowledgement was lost, with the same event id. */
    REDELIVERY
}
