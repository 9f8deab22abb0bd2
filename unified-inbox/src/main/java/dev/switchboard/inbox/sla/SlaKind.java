package dev.switchboard.inbox.sla;

/**
 * Which promise a deadline measures: the first answer to a customer, the answer to each later message waiting for
 * one, or the resolution of the conversation.
 */
public enum SlaKind { FIRST_RESPONSE, NEXT_RESPONSE, RESOLUTION }
