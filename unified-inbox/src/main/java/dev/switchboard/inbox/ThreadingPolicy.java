package dev.switchboard.inbox;

/**
 * How inbound messages are grouped into conversations when nothing in the message itself (a reply reference, a
 * conversation token) names one.
 */
public enum ThreadingPolicy {
    /** One open conversation per customer across all channels: the omnichannel thread (the default). */
    PER_CUSTOMER,
    /** One open conversation per customer and channel. */
    PER_CUSTOMER_AND_CHANNEL
}
