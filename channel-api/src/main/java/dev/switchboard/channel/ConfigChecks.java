package dev.switchboard.channel;

/**
 * The one validation policy of channel builders, for their {@code build()} to call: every invalid option fails with
 * an {@link IllegalArgumentException} whose message names the option and the bad value ({@code "pollLimit must be
 * 1-100, got 0"}), and a secret's value is never shown, only its length. Setters only record; {@code build()} checks
 * every option with these before it creates the channel's configuration record. Stateless.
 */
public final class ConfigChecks {
    private ConfigChecks() {
    }

    /** {@code value}, or an {@link IllegalArgumentException} "{@code <option>} is required" when it is null. */
    public static <T> T required(T value, String option) {
        if (value == null) {
            throw new IllegalArgumentException(option + " is required");
        }
        return value;
    }

    /**
     * Fails with "{@code <option>} must be {@code <rule>}, got {@code <value>}" unless {@code valid}.
     *
     * @param rule what a valid value is, as the message says it ("1-100", "at least 1 minute")
     */
    public static void check(boolean valid, String option, Object value, String rule) {
        if (!valid) {
            throw new IllegalArgumentException(option + " must be " + rule + ", got " + value);
        }
    }

    /**
     * Like {@link #check} for a credential: the message says what is wrong and how long the given value is, never the
     * value itself ("{@code accessToken must be a community access token, got one of 5 characters}").
     */
    public static void checkSecret(boolean valid, String option, String value, String rule) {
        if (!valid) {
            throw new IllegalArgumentException(option + " must be " + rule + ", got "
                    + (value == null ? "none" : "one of " + value.length() + " characters"));
        }
    }
}
