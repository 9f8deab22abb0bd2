package dev.switchboard.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Text;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.TenantId;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every message of the test corpus ({@code src/test/resources/corpus/*.eml}, written for these tests in the
 * styles of Thunderbird, Outlook, Gmail, Yandex, Mail.ru and iPhone Mail, with KOI8-R and windows-1251 bodies,
 * auto-replies, bounces and broken MIME) through the normaliser and compares with its {@code .expected} file:
 * extracted new text, thread hints, sender, automated flag, attachments, bounce target or quarantine reason.
 */
class EmailCorpusTest {
    static final byte[] SECRET = "corpus-test-secret-0123456789".getBytes(StandardCharsets.US_ASCII);
    static final ChannelId CHANNEL = ChannelId.of("email-support");
    private final EmailInboundMapper mapper = EmailInboundMapper.forMailbox(CHANNEL, TenantId.DEFAULT,
            "support@shop.example", SECRET, Clock.fixed(Instant.parse("2025-03-04T00:00:00Z"), ZoneOffset.UTC));

    static Path corpusDir() throws URISyntaxException {
        return Path.of(EmailCorpusTest.class.getResource("/corpus").toURI());
    }

    static Stream<String> corpus() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(corpusDir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".eml"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().collect(Collectors.toList()).stream();
        }
    }

    @Test
    void corpusHasAtLeastTwentyFiveMessagesEachWithExpectations() throws Exception {
        List<String> names = corpus().collect(Collectors.toList());
        assertThat(names).hasSizeGreaterThanOrEqualTo(25);
        for (String name : names) {
            assertThat(corpusDir().resolve(name + ".expected")).exists();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void messageNormalisesAsExpected(String name) throws Exception {
        byte[] raw = Files.readAllBytes(corpusDir().resolve(name + ".eml"));
        Expected expected = Expected.read(corpusDir().resolve(name + ".expected"));
        EmailInboundMapper.Outcome outcome = mapper.map(raw, "7.42");

        switch (expected.get("kind")) {
            case "rejected": {
                assertThat(outcome).as("broken MIME must be quarantined").isInstanceOf(EmailInboundMapper.Rejected.class);
                EmailInboundMapper.Rejected r = (EmailInboundMapper.Rejected) outcome;
                assertThat(r.input().reason()).contains(expected.get("reason"));
                assertThat(r.input().raw()).isEqualTo(raw);
                assertThat(r.input().channel()).isEqualTo(CHANNEL);
                return;
            }
            case "delivery": {
                assertThat(outcome).isInstanceOf(EmailInboundMapper.Event.class);
                InboundEvent event = ((EmailInboundMapper.Event) outcome).event();
                assertThat(event).as("a bounce is a delivery failure of the bounced message")
                        .isInstanceOf(InboundEvent.DeliveryUpdate.class);
                InboundEvent.DeliveryUpdate update = (InboundEvent.DeliveryUpdate) event;
                assertThat(update.status()).isEqualTo(DeliveryStatus.FAILED);
                assertThat(update.platformMessageId()).isEqualTo(expected.get("bounceOf"));
                assertThat(update.account().platformUserId()).isEqualTo(expected.get("recipient"));
                assertThat(update.reason()).hasValueSatisfying(r -> assertThat(r).contains(expected.get("reason")));
                return;
            }
            default:
                break;
        }
        assertThat(outcome).as("%s must parse", name).isInstanceOf(EmailInboundMapper.Event.class);
        EmailInboundMapper.Event e = (EmailInboundMapper.Event) outcome;
        assertThat(e.event()).isInstanceOf(InboundEvent.MessageReceived.class);
        InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) e.event();

        String text = m.content().parts().stream().filter(p -> p instanceof Text).map(p -> ((Text) p).plainText())
                .collect(Collectors.joining("\n"));
        assertThat(text).as("new text of %s", name).isEqualTo(expected.text);
        assertThat(e.parsed().fullText()).as("the full text stays available").contains(expected.text.lines()
                .findFirst().orElse(""));
        expected.optional("eventId").ifPresent(id -> assertThat(m.eventId()).isEqualTo(id));
        assertThat(m.platformMessageId()).isEqualTo(m.eventId());
        assertThat(m.account().platformUserId()).isEqualTo(expected.get("from"));
        assertThat(m.account().channel()).isEqualTo(CHANNEL);
        assertThat(m.account().profile().displayName()).isEqualTo(expected.optional("name"));
        assertThat(m.automated()).as("automated flag of %s", name)
                .isEqualTo(Boolean.parseBoolean(expected.get("automated")));
        List<String> refs = expected.get("refs").isBlank() ? List.of()
                : Arrays.asList(expected.get("refs").split(" "));
        assertThat(m.thread().referencedPlatformMessageIds()).isEqualTo(refs);
        Optional<String> token = expected.get("token").equals("-") ? Optional.empty()
                : Optional.of(expected.get("token"));
        assertThat(m.thread().conversationToken()).as("conversation token of %s", name).isEqualTo(token);
        assertThat(m.thread().subject()).contains(expected.get("subject"));
        assertThat(m.thread().subject().orElse("") + m.account().profile().displayName().orElse(""))
                .as("no control characters in decoded headers").doesNotContainPattern("\\p{Cc}");
        boolean stripped = Boolean.parseBoolean(expected.get("stripped"));
        assertThat(e.parsed().quoteStripped()).as("quote stripped in %s", name).isEqualTo(stripped);
        assertThat(e.parsed().forward()).isEqualTo(Boolean.parseBoolean(expected.optional("forward")
                .orElse("false")));

        List<Media> media = m.content().parts().stream().filter(p -> p instanceof Media).map(p -> (Media) p)
                .collect(Collectors.toList());
        List<Media> attachments = media.stream().filter(x -> !x.fileName().equals(Optional.of("original.eml")))
                .collect(Collectors.toList());
        List<String> expectedAttachments = expected.optional("attachments").map(a -> Arrays.asList(a.split(";")))
                .orElse(List.of());
        assertThat(attachments).hasSize(expectedAttachments.size());
        for (int i = 0; i < attachments.size(); i++) {
            String[] f = expectedAttachments.get(i).split("\\|");
            Media a = attachments.get(i);
            assertThat(a.fileName()).contains(f[0]);
            assertThat(a.mimeType()).isEqualTo(f[1]);
            assertThat(a.sizeBytes().getAsLong()).isEqualTo(Long.parseLong(f[2]));
            assertThat(e.parsed().attachments().get(i).inline()).isEqualTo(Boolean.parseBoolean(f[3]));
            assertThat(a.inline()).as("the stored media keeps the inline flag").isEqualTo(Boolean.parseBoolean(f[3]));
            assertThat(a.contentId()).as("the stored media keeps the Content-ID")
                    .isEqualTo(f.length > 4 ? Optional.of(f[4]) : Optional.empty());
            assertThat(a.fileName().orElse("")).as("no control characters in file names")
                    .doesNotContainPattern("\\p{Cc}");
            assertThat(a.source()).isInstanceOf(MediaSource.PlatformFile.class);
            assertThat(((MediaSource.PlatformFile) a.source()).fileId()).startsWith("7.42/");
        }
        assertThat(media.stream().anyMatch(x -> x.fileName().equals(Optional.of("original.eml"))))
                .as("the original is referenced exactly when something was stripped").isEqualTo(stripped);

        // only the sender's own address is evidence, and only verified, never addresses from the body
        if (!m.evidence().isEmpty()) {
            assertThat(m.evidence()).hasSize(1);
            assertThat(m.evidence().get(0).verified()).isTrue();
            assertThat(m.evidence().get(0).point()).isEqualTo(new ContactPoint(ContactPoint.Kind.EMAIL,
                    expected.get("from")));
            assertThat(m.evidence().get(0).source()).isEqualTo("email.sender");
        }
    }

    @Test
    void tenMegabyteAttachmentIsDescribedNotCarried() throws Exception {
        byte[] payload = new byte[10 * 1024 * 1024];
        new java.util.Random(7).nextBytes(payload);
        String b64 = java.util.Base64.getMimeEncoder().encodeToString(payload);
        String raw = "From: Big Sender <big@client.example>\r\nTo: support@shop.example\r\nSubject: scans\r\n"
                + "Message-ID: <big-1@client.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"big\"\r\n\r\n--big\r\nContent-Type: text/plain\r\n\r\n"
                + "Scans attached.\r\n--big\r\nContent-Type: application/zip; name=\"scans.zip\"\r\n"
                + "Content-Disposition: attachment; filename=\"scans.zip\"\r\nContent-Transfer-Encoding: base64\r\n"
                + "\r\n" + b64 + "\r\n--big--\r\n";
        EmailInboundMapper.Outcome outcome = mapper.map(raw.getBytes(StandardCharsets.US_ASCII), "1.9");
        assertThat(outcome).isInstanceOf(EmailInboundMapper.Event.class);
        InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) ((EmailInboundMapper.Event) outcome).event();
        assertThat(m.content().plainText()).isEqualTo("Scans attached.");
        Media zip = (Media) m.content().parts().get(1);
        assertThat(zip.kind()).isEqualTo(MediaKind.FILE);
        assertThat(zip.fileName()).contains("scans.zip");
        assertThat(zip.sizeBytes().getAsLong()).isEqualTo(payload.length);
        assertThat(zip.source()).isEqualTo(new MediaSource.PlatformFile(CHANNEL, "1.9/2/big-1@client.example"));
    }

    /** An {@code .expected} file: {@code key: value} lines, a {@code ---} line, then the expected new text. */
    static final class Expected {
        final Map<String, String> fields = new LinkedHashMap<>();
        String text = "";

        static Expected read(Path file) throws IOException {
            Expected e = new Expected();
            String content = Files.readString(file, StandardCharsets.UTF_8);
            int sep = content.indexOf("\n---\n");
            String head = sep < 0 ? content : content.substring(0, sep);
            e.text = sep < 0 ? "" : content.substring(sep + 5).strip();
            for (String line : head.split("\n")) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    e.fields.put(line.substring(0, colon), line.substring(colon + 2));
                } else if (line.endsWith(":")) {
                    e.fields.put(line.substring(0, line.length() - 1), "");
                }
            }
            return e;
        }

        String get(String key) {
            String v = fields.get(key);
            if (v == null) {
                throw new AssertionError("expected file lacks '" + key + "'");
            }
            return v;
        }

        Optional<String> optional(String key) {
            return Optional.ofNullable(fields.get(key));
        }
    }
}
