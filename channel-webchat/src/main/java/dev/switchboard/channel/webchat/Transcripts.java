package dev.switchboard.channel.webchat;

import static dev.switchboard.channel.webchat.WebchatJson.error;
import static dev.switchboard.channel.webchat.WebchatJson.event;
import static dev.switchboard.channel.webchat.WebchatJson.parse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transcripts by email: a visitor's request ({@code {"type":"transcript","email":...}}) becomes the conversation's
 * message lines in the visitor's language, handed to the host's {@link TranscriptSender}; the outcome is published to
 * the visitor as a {@code transcript_sent} or error event.
 */
final class Transcripts {
    private static final Logger log = LoggerFactory.getLogger(Transcripts.class);

    private final WebchatChannel channel;
    private final VisitorSessions sessions;

    Transcripts(WebchatChannel channel, VisitorSessions sessions) {
        this.channel = channel;
        this.sessions = sessions;
    }

    /** A visitor asked for the conversation by email: checks the address, renders the lines, hands them over. */
    CompletionStage<FrameOutcome> request(LiveSession s, JsonNode frame) {
        String email = frame.path("email").asText("").trim();
        if (!WebchatJson.EMAIL.matcher(email).matches()) {
            return CompletableFuture.completedFuture(new FrameOutcome(400,
                    sessions.publishError(s, "transcript", error("invalid_email", "the email address does not look valid"))));
        }
        Optional<TranscriptSender> sender = channel.transcriptSender();
        if (sender.isEmpty()) {
            return CompletableFuture.completedFuture(new FrameOutcome(501, sessions.publishError(s, "transcript",
                    error("transcript_unavailable", "this site does not send transcripts"))));
        }
        List<TranscriptSender.Line> lines = new ArrayList<>();
        for (WebchatEvent e : sessions.log().history(s.id)) {
            JsonNode n = parse(e.json().getBytes(StandardCharsets.UTF_8));
            if (n != null && e.type().equals("message")) {
                boolean agent = n.path("from").asText().equals("agent");
                String from = agent ? n.path("name").asText("Agent")
                        : s.session.displayName().orElse(lang(s).equals("ru") ? "Вы" : "You");
                String text = n.path("text").asText("");
                for (JsonNode a : n.path("attachments")) {
                    text += (text.isEmpty() ? "" : " ") + "[" + a.path("name").asText() + "]";
                }
                lines.add(new TranscriptSender.Line(Instant.parse(n.path("at").asText(channel.now().toString())),
                        from, text));
            }
        }
        CompletionStage<Void> sent;
        try {
            sent = sender.get().send(new TranscriptSender.Transcript(s.id, email, lang(s), lines));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((v, err) -> {
            if (err != null) {
                log.warn("webchat: transcript for session {} could not be sent", s.id, err);
                return new FrameOutcome(502, sessions.publishError(s, "transcript",
                        error("transcript_failed", "the transcript could not be sent; try again later")));
            }
            sessions.publish(s, "transcript_sent", Optional.empty(),
                    seq -> event("transcript_sent", seq).put("email", email).toString());
            return FrameOutcome.OK;
        });
    }

    private static String lang(LiveSession s) {
        return s.session.language().filter(l -> l.equals("ru")).orElse("en");
    }
}
