package dev.switchboard.channel.webchat;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Sends a visitor the transcript of their chat by email, through whatever mail sender the host has (its email channel,
 * its SMTP relay, a transactional mail service). The widget's "email me this conversation" button ends here; the stage
 * completing normally is what the visitor is told as "sent".
 */
@FunctionalInterface
public interface TranscriptSender {

    CompletionStage<Void> send(Transcript transcript);

    /**
     * A conversation ready to mail.
     *
     * @param email the address the visitor typed (unverified)
     * @param language the widget language ({@code ru} or {@code en}), for the mail's wording
     */
    record Transcript(String sessionId, String email, String language, List<Line> lines) {
        public Transcript {
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(language, "language");
            lines = List.copyOf(lines);
        }

        /** The transcript as plain text, one "[time] name: text" line per message. */
        public String plainText() {
            StringBuilder sb = new StringBuilder();
            for (Line l : lines) {
                sb.append('[').append(l.at()).append("] ").append(l.from()).append(": ").append(l.text()).append('\n');
            }
            return sb.toString();
        }
    }

    /** One message of the transcript; {@code from} is the visitor's or agent's shown name. */
    record Line(Instant at, String from, String text) {
        public Line {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(text, "text");
        }
    }
}
