package dev.switchboard.inbox.consent;

import dev.switchboard.model.MessageId;
import java.util.Objects;
import java.util.Optional;

/**
 * What proves a consent entry: the customer's message (its id), the button they pressed (its payload), the web form
 * they submitted (its id and the version of the consent text they saw), the platform event that reported a permission
 * change, a failed send, an agent's or a host's action, or the merge that carried a withdrawal over. Immutable.
 *
 * @param kind what sort of evidence it is
 * @param reference what identifies it: a message id, a button payload, a form id, a platform event name, an agent
 * @param textVersion the version of the consent text shown (web forms); empty otherwise
 */
public record ConsentEvidence(Kind kind, String reference, Optional<String> textVersion) {

    /** The sorts of evidence. */
    public enum Kind {
        /** A message of the customer; the reference is its message id. */
        MESSAGE,
        /** A button the customer pressed; the reference is its payload. */
        BUTTON,
        /** A web form the customer submitted; the reference is the form id, with the consent text's version. */
        WEB_FORM,
        /** A platform event (VK {@code message_deny}, Viber unsubscribed, Telegram blocked); the reference names it. */
        PLATFORM_EVENT,
        /** A send the platform refused because the recipient cannot be reached; the reference is the message id. */
        SEND_FAILURE,
        /** An agent recorded it; the reference is the agent. */
        AGENT,
        /** The host application recorded it; the reference is the host's note (a request id, an import batch). */
        HOST,
        /** A merge carried a withdrawal of one side over; the reference is the merge id. */
        MERGE
    }

    /** Checks the parts: a reference that is not blank. */
    public ConsentEvidence {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(textVersion, "textVersion");
        if (reference.isBlank()) {
            throw new IllegalArgumentException("evidence reference must not be blank");
        }
    }

    /** Evidence: the customer's message {@code id}. */
    public static ConsentEvidence message(MessageId id) {
        return new ConsentEvidence(Kind.MESSAGE, Objects.requireNonNull(id, "id").value(), Optional.empty());
    }

    /** Evidence: the customer pressed a button with this payload. */
    public static ConsentEvidence button(String payload) {
        return new ConsentEvidence(Kind.BUTTON, payload, Optional.empty());
    }

    /** Evidence: the customer submitted web form {@code formId} showing consent text version {@code textVersion}. */
    public static ConsentEvidence webForm(String formId, String textVersion) {
        return new ConsentEvidence(Kind.WEB_FORM, formId, Optional.of(Objects.requireNonNull(textVersion,
                "textVersion")));
    }

    /** Evidence: the platform reported {@code event} (e.g. {@code message_deny}). */
    public static ConsentEvidence platform(String event) {
        return new ConsentEvidence(Kind.PLATFORM_EVENT, event, Optional.empty());
    }

    /** Evidence: an agent recorded it. */
    public static ConsentEvidence agent(String agent) {
        return new ConsentEvidence(Kind.AGENT, agent, Optional.empty());
    }

    /** Evidence: the host recorded it, with a note such as a request id. */
    public static ConsentEvidence host(String note) {
        return new ConsentEvidence(Kind.HOST, note, Optional.empty());
    }
}
