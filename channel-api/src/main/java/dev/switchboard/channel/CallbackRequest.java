package dev.switchboard.channel;

import dev.switchboard.model.ContactPoint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A customer's "call me back" request (a website chat's call-back form): the phone to call, already validated and
 * normalised, and the time they prefer in their own words. A channel delivers it as a
 * {@link InboundEvent.MessageReceived} whose text says what was asked and whose attributes carry
 * {@link #toAttributes()}; the inbox then tags the conversation {@link #TAG}, so an SLA policy with
 * {@code tags("call-back")} sets its own target and it waits in the routing queue like any other conversation.
 *
 * @param phone the number to call, as {@code ContactNormalizer.phone} normalised it (E.164)
 * @param preferredTime when to call, as the customer wrote it (empty when they did not say)
 */
public record CallbackRequest(ContactPoint phone, Optional<String> preferredTime) {
    /** The conversation tag of call-back requests. */
    public static final String TAG = "call-back";
    /** The message attribute holding the phone (E.164). */
    public static final String PHONE_ATTRIBUTE = "callback.phone";
    /** The message attribute holding the preferred time. */
    public static final String PREFERRED_TIME_ATTRIBUTE = "callback.preferredTime";
    /** The longest preferred time accepted, in characters. */
    public static final int MAX_PREFERRED_TIME = 100;

    /** Checks that the phone is a phone and the preferred time is short text without control characters. */
    public CallbackRequest {
        Objects.requireNonNull(phone, "phone");
        if (phone.kind() != ContactPoint.Kind.PHONE) {
            throw new IllegalArgumentException("a call-back needs a phone, got " + phone.kind());
        }
        Objects.requireNonNull(preferredTime, "preferredTime");
        preferredTime = preferredTime.map(String::strip).filter(t -> !t.isEmpty());
        if (preferredTime.isPresent() && (preferredTime.get().length() > MAX_PREFERRED_TIME
                || preferredTime.get().chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("the preferred time must be at most " + MAX_PREFERRED_TIME
                    + " characters of text");
        }
    }

    /** The request as a message's attributes ({@link #PHONE_ATTRIBUTE}, {@link #PREFERRED_TIME_ATTRIBUTE}). */
    public Map<String, String> toAttributes() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(PHONE_ATTRIBUTE, phone.value());
        preferredTime.ifPresent(t -> out.put(PREFERRED_TIME_ATTRIBUTE, t));
        return out;
    }

    /** The text of the message that carries the request, as agents see it. */
    public String describe() {
        return "Call-back request: please call " + phone.value() + preferredTime.map(t -> " (preferred time: " + t
                + ")").orElse("");
    }

    /** The request a message carries, empty when it is not one. */
    public static Optional<CallbackRequest> of(InboundEvent.MessageReceived message) {
        String phone = message.attributes().get(PHONE_ATTRIBUTE);
        if (phone == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new CallbackRequest(new ContactPoint(ContactPoint.Kind.PHONE, phone),
                    Optional.ofNullable(message.attributes().get(PREFERRED_TIME_ATTRIBUTE))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
