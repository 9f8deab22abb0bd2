package dev.switchboard.channel.email;

/**
 * A received message that is not valid enough to normalise (unterminated multipart, a multipart without boundary,
 * invalid base64, no sender). The message says why in words an operator understands; the raw message goes to
 * quarantine with that reason.
 */
final class MalformedEmailException extends Exception {
    public MalformedEmailException(String reason) {
        super(reason);
    }

    public MalformedEmailException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
