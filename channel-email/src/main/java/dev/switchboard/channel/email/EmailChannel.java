package dev.switchboard.channel.email;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.FetchedMedia;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.RateLimit;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.TextLengthUnit;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import jakarta.mail.BodyPart;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.search.MessageIDTerm;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * One mailbox (support@, feedback@, pr@ …) as a Switchboard {@link Channel}: receives over IMAP (IDLE when the server
 * offers it, polling otherwise; UID-based with UIDVALIDITY handling, acknowledged only after the inbox committed),
 * sends over SMTP with the mailbox's own From and Reply-To, threads both ways, and never answers machines. A business
 * with several mailboxes builds one channel per mailbox, each with its own {@link ChannelId} (see
 * {@link EmailChannels}). {@link #toString()} shows neither passwords nor the thread-token secret.
 *
 * <pre>{@code
 * EmailChannel support = EmailChannel.builder()
 *     .id(ChannelId.of("email-support"))
 *     .address("support@shop.example").displayName("Shop Support")
 *     .imap(ImapSettings.of("imap.shop.example", 993, TlsMode.IMPLICIT, "support@shop.example", imapPassword))
 *     .smtp(SmtpSettings.of("smtp.shop.example", 587, TlsMode.STARTTLS, "support@shop.example", smtpPassword))
 *     .threadTokenSecret(secretBytes)
 *     .build();
 * }</pre>
 */
public final class EmailChannel implements Channel {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private final ChannelId id;
    private final TenantId tenant;
    private final String address;
    private final Optional<String> displayName;
    private final Optional<String> replyTo;
    private final ImapSettings imap;
    private final SmtpSettings smtp;
    private final MailboxStateStore stateStore;
    private final Clock clock;
    private final Capabilities capabilities;
    private final ThreadTokens tokens;
    private final Session imapSession;
    private final EmailNormalizer normalizer;
    private final SmtpSender sender;
    private final ExecutorService sendExecutor;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile ImapReceiver receiver;

    private EmailChannel(Builder b) {
        this.id = b.id;
        this.tenant = b.tenant;
        this.address = b.address;
        this.displayName = Optional.ofNullable(b.displayName);
        this.replyTo = Optional.ofNullable(b.replyTo);
        this.imap = b.imap;
        this.smtp = b.smtp;
        this.stateStore = b.stateStore;
        this.clock = b.clock;
        this.tokens = new ThreadTokens(b.threadTokenSecret);
        this.capabilities = Capabilities.builder()
                .maxTextLength(b.maxTextLength, TextLengthUnit.CODE_POINTS)
                .markup(Markup.HTML)
                .media(MediaKind.FILE, MediaKind.IMAGE, MediaKind.AUDIO, MediaKind.VIDEO)
                .replyThreading(true)
                .receiveMode(ReceiveMode.POLLING)
                .globalRateLimit(b.sendRateLimit)
                .build();
        this.imapSession = Session.getInstance(imapProperties(imap));
        this.normalizer = new EmailNormalizer(id, tenant, address, tokens, clock);
        this.sendExecutor = Executors.newFixedThreadPool(b.sendThreads, daemon("switchboard-email-send-" + id));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("switchboard-email-timer-" + id));
        this.sender = new SmtpSender(smtp, Session.getInstance(smtpProperties(smtp, address)), address, displayName,
                replyTo, tokens, clock, this::fetchOwnFile);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChannelId id() {
        return id;
    }

    @Override
    public ChannelType type() {
        return ChannelType.EMAIL;
    }

    @Override
    public TenantId tenant() {
        return tenant;
    }

    /** The mailbox address this channel receives at and sends from. */
    public String address() {
        return address;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public CompletionStage<Void> start(InboundSink sink) {
        Objects.requireNonNull(sink, "sink");
        if (stopped.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("email channel " + id + " is stopped"));
        }
        if (!started.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new IllegalStateException("email channel " + id
                    + " is already started"));
        }
        ImapReceiver r = new ImapReceiver(id, imap, imapSession, stateStore, stateKey(), normalizer, sink, timer);
        receiver = r;
        r.start();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<SendReceipt> send(OutboundMessage message) {
        Objects.requireNonNull(message, "message");
        if (stopped.get()) {
            return CompletableFuture.failedFuture(new ChannelException(SendFailure.of(FailureKind.UNAVAILABLE, null,
                    "email channel " + id + " is stopped")));
        }
        try {
            return CompletableFuture.supplyAsync(() -> sender.send(message), sendExecutor);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new ChannelException(SendFailure.of(FailureKind.UNAVAILABLE, null,
                    "email channel " + id + " is stopped"), e));
        }
    }

    @Override
    public CompletionStage<Void> stop() {
        if (!stopped.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        ImapReceiver r = receiver;
        if (r != null) {
            r.stop();
        }
        sendExecutor.shutdown();
        timer.shutdownNow();
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Fetches an attachment, inline image or the whole original ({@code original.eml}) of a message this channel
     * received, from the IMAP server: by UID when the folder's UIDVALIDITY is unchanged, else by Message-ID (also in
     * the folder processed messages are moved to).
     */
    @Override
    public CompletionStage<FetchedMedia> fetchMedia(MediaSource.PlatformFile file) {
        if (!file.channel().equals(id)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("file " + file.fileId()
                    + " belongs to channel " + file.channel() + ", not " + id));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return fetchNow(file.fileId());
            } catch (MessagingException | IOException e) {
                throw new CompletionException(new ChannelException(SendFailure.of(FailureKind.UNAVAILABLE, null,
                        "cannot fetch " + file.fileId() + ": " + e.getMessage()), e));
            }
        }, sendExecutor);
    }

    private Optional<FetchedMedia> fetchOwnFile(MediaSource.PlatformFile file) {
        if (!file.channel().equals(id)) {
            return Optional.empty();
        }
        try {
            return Optional.of(fetchNow(file.fileId()));
        } catch (MessagingException | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private FetchedMedia fetchNow(String fileId) throws MessagingException, IOException {
        String[] f = fileId.split("/", 3);
        if (f.length != 3 || !f[0].contains(".")) {
            throw new IllegalArgumentException("not an email file id: " + fileId);
        }
        long validity = Long.parseLong(f[0].substring(0, f[0].indexOf('.')));
        long uid = Long.parseLong(f[0].substring(f[0].indexOf('.') + 1));
        String partPath = f[1];
        String messageId = f[2];
        jakarta.mail.Store store = imapSession.getStore(imap.tls() == TlsMode.IMPLICIT ? "imaps" : "imap");
        store.connect(imap.host(), imap.port(), imap.username(), imap.password());
        try {
            byte[] raw = findRaw(store, imap.folder(), validity, uid, messageId);
            if (raw == null && imap.moveProcessedTo().isPresent()) {
                raw = findRaw(store, imap.moveProcessedTo().get(), -1, -1, messageId);
            }
            if (raw == null) {
                throw new MessagingException("message " + messageId + " is no longer in the mailbox");
            }
            if (partPath.equals(EmailNormalizer.WHOLE_MESSAGE)) {
                return new FetchedMedia(raw, "message/rfc822", Optional.of("original.eml"));
            }
            MimePart part = new MimeMessage(imapSession, new SharedByteArrayInputStream(raw));
            for (String index : partPath.split("\\.")) {
                Object content = part.isMimeType("multipart/*")
                        ? new MimeMultipart(new jakarta.mail.internet.MimePartDataSource(part)) : null;
                if (!(content instanceof MimeMultipart multipart)) {
                    if (partPath.equals("1")) {
                        break; // a single-part message: section 1 is the body itself
                    }
                    throw new MessagingException("no part " + partPath + " in " + messageId);
                }
                BodyPart child = multipart.getBodyPart(Integer.parseInt(index) - 1);
                part = (MimePart) child;
            }
            try (InputStream in = part.getInputStream()) {
                String type = part.getContentType() == null ? "application/octet-stream"
                        : new jakarta.mail.internet.ContentType(part.getContentType()).getBaseType()
                        .toLowerCase(Locale.ROOT);
                String name = null;
                try {
                    name = part.getFileName();
                } catch (MessagingException e) {
                    name = null;
                }
                return new FetchedMedia(in.readAllBytes(), type,
                        Optional.ofNullable(name).map(EncodedWords::decode));
            }
        } finally {
            store.close();
        }
    }

    private static byte[] findRaw(jakarta.mail.Store store, String folderName, long validity, long uid,
                                  String messageId) throws MessagingException, IOException {
        IMAPFolder folder = (IMAPFolder) store.getFolder(folderName);
        if (!folder.exists()) {
            return null;
        }
        folder.open(Folder.READ_ONLY);
        try {
            Message message = null;
            if (validity >= 0 && folder.getUIDValidity() == validity) {
                message = folder.getMessageByUID(uid);
            }
            if (message == null) {
                Message[] found = folder.search(new MessageIDTerm("<" + messageId + ">"));
                message = found.length > 0 ? found[0] : null;
            }
            if (message == null) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } finally {
            folder.close(false);
        }
    }

    /** Whether the receive loop is waiting in IMAP IDLE right now (false while polling or when not started). */
    public boolean idling() {
        ImapReceiver r = receiver;
        return r != null && r.idling();
    }

    private String stateKey() {
        return tenant + "/" + id + "/" + imap.username() + "@" + imap.host() + ":" + imap.port() + "/"
                + imap.folder();
    }

    private static Properties imapProperties(ImapSettings s) {
        Properties p = new Properties();
        String proto = s.tls() == TlsMode.IMPLICIT ? "imaps" : "imap";
        long idleMillis = Math.min(s.pollInterval().toMillis(), ImapReceiver.MAX_IDLE.toMillis());
        p.setProperty("mail." + proto + ".connectiontimeout", "30000");
        // the read timeout must outlast an IDLE, which ends at the latest after the re-IDLE interval
        p.setProperty("mail." + proto + ".timeout", String.valueOf(idleMillis + Duration.ofMinutes(2).toMillis()));
        p.setProperty("mail." + proto + ".writetimeout", "60000");
        p.setProperty("mail." + proto + ".peek", "true"); // reading must not set \Seen for the humans
        p.setProperty("mail." + proto + ".fetchsize", String.valueOf(1 << 20));
        p.setProperty("mail." + proto + ".partialfetch", "true");
        if (s.tls() == TlsMode.STARTTLS) {
            p.setProperty("mail." + proto + ".starttls.enable", "true");
            p.setProperty("mail." + proto + ".starttls.required", "true");
        }
        if (s.tls() != TlsMode.NONE) {
            p.setProperty("mail." + proto + ".ssl.checkserveridentity", "true");
        }
        p.setProperty("mail.mime.allowutf8", "true");
        return p;
    }

    private static Properties smtpProperties(SmtpSettings s, String address) {
        Properties p = new Properties();
        String proto = s.tls() == TlsMode.IMPLICIT ? "smtps" : "smtp";
        String timeout = String.valueOf(s.timeout().toMillis());
        p.setProperty("mail." + proto + ".connectiontimeout", timeout);
        p.setProperty("mail." + proto + ".timeout", timeout);
        p.setProperty("mail." + proto + ".writetimeout", timeout);
        p.setProperty("mail." + proto + ".auth", String.valueOf(s.authenticates()));
        p.setProperty("mail." + proto + ".from", address);
        p.setProperty("mail." + proto + ".localhost", address.substring(address.indexOf('@') + 1));
        if (s.tls() == TlsMode.STARTTLS) {
            p.setProperty("mail." + proto + ".starttls.enable", "true");
            p.setProperty("mail." + proto + ".starttls.required", "true");
        }
        if (s.tls() != TlsMode.NONE) {
            p.setProperty("mail." + proto + ".ssl.checkserveridentity", "true");
        }
        return p;
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "EmailChannel[id=" + id + ", tenant=" + tenant + ", address=" + address + ", imap=" + imap
                + ", smtp=" + smtp + ", threadTokenSecret=****]";
    }

    /**
     * Configures one mailbox channel. Required: id, address, imap, smtp, threadTokenSecret. Checked at
     * {@link #build()} with messages naming what is wrong.
     */
    public static final class Builder {
        private ChannelId id;
        private TenantId tenant = TenantId.DEFAULT;
        private String address;
        private String displayName;
        private String replyTo;
        private ImapSettings imap;
        private SmtpSettings smtp;
        private byte[] threadTokenSecret;
        private Clock clock = Clock.systemUTC();
        private MailboxStateStore stateStore = MailboxStateStore.inMemory();
        private RateLimit sendRateLimit = RateLimit.perMinute(60);
        private int maxTextLength = 100_000;
        private int sendThreads = 2;

        private Builder() {
        }

        public Builder id(ChannelId id) {
            this.id = id;
            return this;
        }

        public Builder tenant(TenantId tenant) {
            this.tenant = tenant;
            return this;
        }

        /** The mailbox address: where customers write and what replies come from. */
        public Builder address(String address) {
            this.address = address;
            return this;
        }

        /** The name shown next to the address when no agent name is given ("Shop Support"). */
        public Builder displayName(String displayName) {
            this.displayName = displayName;
            return this;
        }

        /** A Reply-To address for outgoing mail, when replies should go elsewhere than the From address. */
        public Builder replyTo(String replyTo) {
            this.replyTo = replyTo;
            return this;
        }

        public Builder imap(ImapSettings imap) {
            this.imap = imap;
            return this;
        }

        public Builder smtp(SmtpSettings smtp) {
            this.smtp = smtp;
            return this;
        }

        /** The key (at least 16 bytes) signing the conversation tokens in our Message-IDs. */
        public Builder threadTokenSecret(byte[] secret) {
            this.threadTokenSecret = secret == null ? null : secret.clone();
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Where (UIDVALIDITY, last UID) is kept between runs; in memory unless set. */
        public Builder stateStore(MailboxStateStore stateStore) {
            this.stateStore = stateStore;
            return this;
        }

        /** The provider's sending limit, declared to the outbox; 60 per minute unless set. */
        public Builder sendRateLimit(RateLimit limit) {
            this.sendRateLimit = limit;
            return this;
        }

        public Builder maxTextLength(int maxTextLength) {
            this.maxTextLength = maxTextLength;
            return this;
        }

        public Builder sendThreads(int threads) {
            this.sendThreads = threads;
            return this;
        }

        public EmailChannel build() {
            Objects.requireNonNull(id, "id is required");
            Objects.requireNonNull(tenant, "tenant must not be null");
            Objects.requireNonNull(address, "address is required");
            address = checkAddress(address, "address");
            if (replyTo != null) {
                replyTo = checkAddress(replyTo, "replyTo");
            }
            if (displayName != null && displayName.isBlank()) {
                displayName = null;
            }
            Objects.requireNonNull(imap, "imap settings are required");
            Objects.requireNonNull(smtp, "smtp settings are required");
            if (threadTokenSecret == null || threadTokenSecret.length < 16) {
                throw new IllegalArgumentException("threadTokenSecret of at least 16 bytes is required");
            }
            Objects.requireNonNull(clock, "clock must not be null");
            Objects.requireNonNull(stateStore, "stateStore must not be null");
            Objects.requireNonNull(sendRateLimit, "sendRateLimit must not be null");
            if (maxTextLength < 1000) {
                throw new IllegalArgumentException("maxTextLength must be >= 1000, got " + maxTextLength);
            }
            if (sendThreads < 1 || sendThreads > 16) {
                throw new IllegalArgumentException("sendThreads must be 1..16, got " + sendThreads);
            }
            return new EmailChannel(this);
        }

        private static String checkAddress(String value, String what) {
            try {
                InternetAddress parsed = new InternetAddress(value.strip(), true);
                if (parsed.getAddress().indexOf('@') < 1) {
                    throw new IllegalArgumentException(what + " must be a full address like support@shop.example, "
                            + "got " + value);
                }
                return parsed.getAddress().toLowerCase(Locale.ROOT);
            } catch (AddressException e) {
                throw new IllegalArgumentException(what + " is not a valid address: " + value, e);
            }
        }

        @Override
        public String toString() {
            return "EmailChannel.Builder[id=" + id + ", address=" + address + ", imap=" + imap + ", smtp=" + smtp
                    + ", threadTokenSecret=****]";
        }
    }

    /** Awaits termination of the send pool, for hosts that want a clean shutdown (tests). */
    boolean awaitTermination(Duration d) throws InterruptedException {
        return sendExecutor.awaitTermination(d.toMillis(), TimeUnit.MILLISECONDS);
    }
}
