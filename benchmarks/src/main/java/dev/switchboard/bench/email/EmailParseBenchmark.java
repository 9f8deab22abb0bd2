package dev.switchboard.bench.email;

import dev.switchboard.channel.email.EmailMessages;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parse-and-normalise throughput of the email channel over its test corpus (30 realistic messages: Thunderbird,
 * Outlook, Gmail, Yandex, Mail.ru replies, KOI8-R and windows-1251 bodies, auto-replies, bounces, broken MIME), one
 * message per operation, cycling through the corpus, so the score is messages per second. The baseline in the same
 * run is a bare Jakarta Mail parse: {@code new MimeMessage(session, stream)} and a {@code getContent()} walk that
 * reads every text part and drains every attachment. The ratio says what our full normalisation (charset repair,
 * HTML to text, quote stripping, classification, threading, base64 validation, event building) costs over that.
 *
 * <p>Run from the repository root (the corpus is read from {@code channel-email/src/test/resources/corpus}, or the
 * directory in system property {@code email.corpus}):
 * {@code java -jar benchmarks/target/benchmarks.jar EmailParseBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EmailParseBenchmark {
    private List<byte[]> corpus;
    private EmailMessages reader;
    private Session session;
    private int next;

    @Setup
    public void load() throws IOException {
        Path dir = Path.of(System.getProperty("email.corpus", "channel-email/src/test/resources/corpus"));
        try (Stream<Path> files = Files.list(dir)) {
            corpus = files.filter(p -> p.toString().endsWith(".eml")).sorted().map(EmailParseBenchmark::read)
                    .collect(Collectors.toList());
        }
        if (corpus.isEmpty()) {
            throw new IllegalStateException("no .eml files in " + dir.toAbsolutePath());
        }
        reader = EmailMessages.forMailbox(ChannelId.of("email-bench"), TenantId.DEFAULT,
                "support@shop.example", "benchmark-secret-0123456789".getBytes(StandardCharsets.US_ASCII),
                Clock.systemUTC());
        session = Session.getInstance(new Properties());
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] nextMessage() {
        byte[] raw = corpus.get(next);
        next = next + 1 == corpus.size() ? 0 : next + 1;
        return raw;
    }

    /** Our full path ({@link EmailMessages#read}, as the receive loop runs it): raw bytes to an event. */
    @Benchmark
    public Object normalize() {
        return reader.read(nextMessage(), "1.1");
    }

    /** Baseline: Jakarta Mail parse plus a content walk, nothing else. */
    @Benchmark
    public void bareMimeParse(Blackhole bh) {
        try {
            MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(nextMessage()));
            bh.consume(message.getSubject());
            walk(message, bh);
        } catch (Exception e) {
            bh.consume(e); // broken corpus messages fail here too; the failure is part of the cost
        }
    }

    private static void walk(Part part, Blackhole bh) throws Exception {
        Object content = part.getContent();
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                walk(multipart.getBodyPart(i), bh);
            }
        } else if (content instanceof String text) {
            bh.consume(text);
        } else if (content instanceof InputStream in) {
            bh.consume(in.transferTo(java.io.OutputStream.nullOutputStream()));
        } else {
            bh.consume(content);
        }
    }
}
