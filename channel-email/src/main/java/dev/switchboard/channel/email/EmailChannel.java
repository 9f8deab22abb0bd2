package dev.switchboard.channel.email;

import static dev.switchboard.channel.ConfigChecks.check;
import static dev.switchboard.channel.ConfigChecks.required;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.CardLimits;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.ChannelFiles;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.ChannelHealthTracker;
import dev.switchboard.channel.ChannelLifecycle;
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
    private final EmailConfig config;
    private final Clock clock;
    private final Capabilities capabilities;
    private final Session imapSession;
    private final EmailInboundMapper mapper;
    private final EmailSender sender;
    private final EmailResources resources;
    private final ChannelLifecycle lifecycle;
    private final ChannelHealthTracker health;
    private volatile boolean stopped;
    private volatile EmailPoller receiver;

    private EmailChannel(EmailConfig config, EmailResources resources, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.resources = resources;
        ThreadTokens tokens = new ThreadTokens(config.threadTokenSecret());
        this.capabilities = Capabilities.builder()
                .maxTextLength(config.maxTextLength(), TextLengthUnit.CODE_POINTS)
                .markup(Markup.HTML)
                .media(MediaKind.FILE, MediaKind.IMAGE, MediaKind.AUDIO, MediaKind.VIDEO)
                .replyThreading(true)
                // a carousel is one mail of HTML blocks (buttons as links or numbered replies), never a mail per card
                .cards(CardLimits.builder().maxCards(10).maxButtonsPerCard(3).maxTitleLength(200)
                        .maxDescriptionLength(1000).build())
                .receiveMode(ReceiveMode.POLLING)
                .globalRateLimit(config.sendRateLimit())
                .build();
        this.imapSession = Session.getInstance(imapProperties(config.imap(), resources));
        this.mapper = new EmailInboundMapper(config.channelId(), config.tenant(), config.address(), tokens, clock);
        this.health = new ChannelHealthTracker(clock);
        this.lifecycle = new ChannelLifecycle(config.tenant(), config.channelId(), health);
        this.sender = new EmailSender(config.smtp(), Session.getInstance(smtpProperties(config.smtp(),
                config.address(), resources)), config.address(), config.displayName(), config.replyTo(), tokens, clock,
                this::fetchOwnFile);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The validated configuration (its {@code toString()} masks the passwords and the secret). */
    public EmailConfig config() {
        return config;
    }

    @Override
    public ChannelId id() {
        return config.channelId();
    }

    @Override
    public ChannelType type() {
        return ChannelType.EMAIL;
    }

    @Override
    public TenantId tenant() {
        return config.tenant();
    }

    /** The mailbox address this channel receives at and sends from. */
    public String address() {
        return config.address();
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /**
     * Starts a run: the receive loop on the shared {@link EmailResources}, after checking the credentials. Completes
     * once the first IMAP login and an SMTP login were tried; a refused login does not fail the start but makes
     * {@link #health()} DOWN with {@link ChannelHealth.Problem#BAD_CREDENTIALS} (the mailbox is then tried again only
     * every {@link EmailPoller#AUTH_RETRY}), an unreachable server makes it DEGRADED and is retried with back-off. A
     * second start while running fails with {@link IllegalStateException}; a stopped channel starts again.
     */
    @Override
    public CompletionStage<Void> start(InboundSink sink) {
        return lifecycle.start(sink, () -> startRun(sink));
    }

    private CompletionStage<Void> startRun(InboundSink sink) {
        stopped = false;
        EmailPoller r = new EmailPoller(config.channelId(), config.tenant(), config.imap(), imapSession,
                config.stateStore(), config.stateKey(), mapper, sink,
                resources, health, clock);
        receiver = r;
        r.start();
        return r.firstAttempt().thenCompose(v -> checkSmtpLogin());
    }

    /** Logs in to the SMTP server once (no mail sent), so a wrong SMTP password shows at start, not at a reply. */
    private CompletionStage<Void> checkSmtpLogin() {
        if (!config.smtp().authenticates()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> {
            try {
                sender.checkLogin();
            } catch (ChannelException e) {
                recordSendFailure(e);
            }
        }, resources.sendPool()).exceptionally(e -> null);
    }

    @Override
    public CompletionStage<SendReceipt> send(OutboundMessage message) {
        Objects.requireNonNull(message, "message");
        if (stopped) {
            return CompletableFuture.failedFuture(new ChannelException(SendFailure.of(FailureKind.UNAVAILABLE, null,
                    "email channel " + id() + " is stopped")));
        }
        try {
            return CompletableFuture.supplyAsync(() -> sender.send(message), resources.sendPool())
                    .whenComplete((receipt, error) -> {
                        if (error == null) {
                            health.sent();
                        } else if (error.getCause() instanceof ChannelException ce) {
                            recordSendFailure(ce);
                        }
                    });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new ChannelException(SendFailure.of(FailureKind.UNAVAILABLE, null,
                    "email channel " + id() + ": the send pool is shut down"), e));
        }
    }

    private void recordSendFailure(ChannelException e) {
        if (!lifecycle.isRunning()) {
            return;
        }
        if (e.failure().kind() == FailureKind.UNAUTHORIZED) {
            health.down(ChannelHealth.Problem.BAD_CREDENTIALS, "the SMTP server refused the login of "
                    + config.smtp().username() + "@" + config.smtp().host() + ": " + e.failure().description());
        } else if (e.failure().kind() == FailureKind.UNAVAILABLE) {
            health.degraded(ChannelHealth.Problem.UNREACHABLE, e.failure().description(), Optional.empty());
        } else if (e.failure().kind() == FailureKind.RATE_LIMITED) {
            health.degraded(ChannelHealth.Problem.RATE_LIMITED, e.failure().description(), Optional.empty());
        }
    }

    /** Ends the run: the receive loop stops and closes its connection; sends fail as unavailable until a restart. */
    @Override
    public CompletionStage<Void> stop() {
        return lifecycle.stop(() -> {
            stopped = true;
            EmailPoller r = receiver;
            receiver = null;
            if (r != null) {
                r.stop();
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    /**
     * Running or not, the last successful receive and send, and what keeps the mailbox from working: bad
     * credentials (IMAP or SMTP login refused), an unreachable server (with when it is tried again), a rate limit.
     */
    @Override
    public ChannelHealth health() {
        return health.snapshot();
    }

    /**
     * Fetches an attachment, inline image or the whole original ({@code original.eml}) of a message this channel
     * received, from the IMAP server: by UID when the folder's UIDVALIDITY is unchanged, else by Message-ID (also in
     * the folder processed messages are moved to).
     */
    @Override
    public CompletionStage<FetchedMedia> fetchMedia(MediaSource.PlatformFile file) {
        Optional<ChannelException> foreign = ChannelFiles.refuseForeign(id(), file);
        if (foreign.isPresent()) {
            return CompletableFuture.failedFuture(foreign.get());
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return fetchNow(file.fileId());
            } catch (MessagingException | IOException e) {
                throw new CompletionException(new ChannelException(SendFailure.of(FailureKind.UNAVAILABLE, null,
                        "cannot fetch " + file.fileId() + ": " + e.getMessage()), e));
            }
        }, resources.sendPool());
    }

    private Optional<FetchedMedia> fetchOwnFile(MediaSource.PlatformFile file) {
        if (!ChannelFiles.isOwn(id(), file)) {
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
        ImapSettings imap = config.imap();
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
            if (partPath.equals(EmailInboundMapper.WHOLE_MESSAGE)) {
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

    /** How long until the receive loop's next scheduled pass, if one is scheduled (tests and diagnostics). */
    Optional<Duration> nextReceivePassIn() {
        EmailPoller r = receiver;
        return r == null ? Optional.empty() : r.nextPassIn();
    }

    /** Whether the receive loop is waiting in IMAP IDLE right now (false while polling or when not started). */
    public boolean idling() {
        EmailPoller r = receiver;
        return r != null && r.idling();
    }

    private static Properties imapProperties(ImapSettings s, EmailResources resources) {
        Properties p = new Properties();
        String proto = s.tls() == TlsMode.IMPLICIT ? "imaps" : "imap";
        long idleMillis = Math.min(s.pollInterval().toMillis(), EmailPoller.MAX_IDLE.toMillis());
        p.setProperty("mail." + proto + ".connectiontimeout", "30000");
        // the read timeout must outlast an IDLE, which ends at the latest after the re-IDLE interval
        p.setProperty("mail." + proto + ".timeout", String.valueOf(idleMillis + Duration.ofMinutes(2).toMillis()));
        p.setProperty("mail." + proto + ".writetimeout", "60000");
        p.put("mail." + proto + ".executor.writetimeout", resources.writeTimeouts()); // not a thread per socket
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

    private static Properties smtpProperties(SmtpSettings s, String address, EmailResources resources) {
        Properties p = new Properties();
        String proto = s.tls() == TlsMode.IMPLICIT ? "smtps" : "smtp";
        String timeout = String.valueOf(s.timeout().toMillis());
        p.setProperty("mail." + proto + ".connectiontimeout", timeout);
        p.setProperty("mail." + proto + ".timeout", timeout);
        p.setProperty("mail." + proto + ".writetimeout", timeout);
        p.put("mail." + proto + ".executor.writetimeout", resources.writeTimeouts());
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

    @Override
    public String toString() {
        return "EmailChannel[id=" + id() + ", tenant=" + tenant() + ", address=" + address() + ", imap="
                + config.imap() + ", smtp=" + config.smtp() + ", threadTokenSecret=****]";
    }

    /**
     * Configures one mailbox channel. Required: id, address, imap, smtp, threadTokenSecret. Setters only record;
     * {@link #build()} checks every option and fails with an {@link IllegalArgumentException} naming the option and
     * its bad value (never a password or the secret). Defaults: tenant {@link TenantId#DEFAULT}, mailbox state in
     * memory, 60 sends per minute, 100,000-character texts, {@link EmailResources#shared()}, the system UTC clock.
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
        private EmailResources resources = EmailResources.shared();

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

        /** The threads this mailbox shares with others; {@link EmailResources#shared()} unless set. */
        public Builder resources(EmailResources resources) {
            this.resources = resources;
            return this;
        }

        /** Checks every option and builds the channel. @throws IllegalArgumentException naming the wrong option */
        public EmailChannel build() {
            required(id, "id");
            required(tenant, "tenant");
            String mailbox = EmailConfig.checkAddress(address, "address");
            Optional<String> replyAddress = replyTo == null ? Optional.empty()
                    : Optional.of(EmailConfig.checkAddress(replyTo, "replyTo"));
            Optional<String> name = displayName == null || displayName.isBlank() ? Optional.empty()
                    : Optional.of(displayName);
            required(imap, "imap");
            required(smtp, "smtp");
            check(threadTokenSecret != null && threadTokenSecret.length >= 16, "threadTokenSecret",
                    threadTokenSecret == null ? "none" : threadTokenSecret.length + " bytes", "at least 16 bytes");
            required(clock, "clock");
            required(stateStore, "stateStore");
            required(sendRateLimit, "sendRateLimit");
            check(maxTextLength >= 1000, "maxTextLength", maxTextLength, ">= 1000");
            required(resources, "resources");
            EmailConfig config = new EmailConfig(id, tenant, mailbox, name, replyAddress, imap, smtp,
                    threadTokenSecret, stateStore, sendRateLimit, maxTextLength);
            return new EmailChannel(config, resources, clock);
        }

        @Override
        public String toString() {
            return "EmailChannel.Builder[id=" + id + ", address=" + address + ", imap=" + imap + ", smtp=" + smtp
                    + ", threadTokenSecret=****]";
        }
    }
}
