package dev.switchboard.channel.email;

/**
 * How a mail connection is secured: implicit TLS from the first byte (IMAPS 993, SMTPS 465), STARTTLS upgrade of a
 * plain connection (IMAP 143, submission 587; required, never silently skipped), or none (only for local test servers).
 */
public enum TlsMode {
    /** TLS from the first byte (IMAPS, SMTPS). */
    IMPLICIT,
    /** Plain connection upgraded with STARTTLS; the connection fails if the server does not offer it. */
    STARTTLS,
    /** No encryption at all; for in-process test servers only. */
    NONE
}
