package dev.switchboard.model;

/** Whether a message came from the customer (inbound) or went to them (outbound). */
public enum Direction { INBOUND, OUTBOUND }
