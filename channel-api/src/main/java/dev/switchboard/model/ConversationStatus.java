package dev.switchboard.model;

/** Where a conversation stands: waiting on us (open), waiting on the customer (pending), parked, or done. */
public enum ConversationStatus { OPEN, PENDING, SNOOZED, RESOLVED }
