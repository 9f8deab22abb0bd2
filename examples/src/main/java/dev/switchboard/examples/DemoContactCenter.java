package dev.switchboard.examples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.email.testing.MailFake;
import dev.switchboard.channel.telegram.TelegramChannel;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.channel.vk.VkChannel;
import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.channel.viber.ViberChannel;
import dev.switchboard.channel.viber.testing.ViberFake;
import dev.switchboard.channel.email.EmailChannel;
import dev.switchboard.channel.email.FileMailboxStateStore;
import dev.switchboard.channel.email.ImapSettings;
import dev.switchboard.channel.email.InMemoryMailboxStateStore;
import dev.switchboard.channel.email.SmtpSettings;
import dev.switchboard.channel.email.TlsMode;
import dev.switchboard.examples.api.AgentAuth;
import dev.switchboard.examples.api.ApiException;
import dev.switchboard.examples.api.ContactCenterApi;
import dev.switchboard.examples.sim.DemoSimulator;
import dev.switchboard.examples.web.WebUi;
import dev.switchboard.identity.IdentityEngine;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import dev.switchboard.server.jetty.SwitchboardServer;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.channel.webchat.DirectoryWebchatFileStore;
import dev.switchboard.channel.webchat.WebchatChannel;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The runnable demo contact center: one process with the unified inbox on an embedded H2 database, the Telegram,
 * email, website chat and VK channels, the REST API, the agent console and a demo shop page with the chat widget, all
 * on one port. Without platform credentials each channel talks to a local fake of its platform (a fake Bot API, a
 * local SMTP/IMAP server, the published VK fake) and a simulator plays customers through the real channel code; with credentials in the
 * environment it talks to the real Telegram Bot API, a real mailbox and a real VK community.
 *
 * <pre>{@code
 * java -jar examples/target/switchboard-demo.jar          # http://localhost:8080
 * try (DemoContactCenter demo = DemoContactCenter.start(DemoConfig.builder().port(0).dataDir(tmp).build())) {
 *     demo.consoleUrl();                                  // tests
 * }
 * }</pre>
 */
public final class DemoContactCenter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoContactCenter.class);

    public static final TenantId TENANT = TenantId.DEFAULT;
    public static final ChannelId TELEGRAM = ChannelId.of("telegram");
    public static final ChannelId EMAIL = ChannelId.of("email");
    public static final ChannelId WEBCHAT = ChannelId.of("webchat");
    public static final ChannelId VK = ChannelId.of("vk");
    /** The demo bot's token on the local fake Bot API; not a secret, it opens nothing but the fake. */
    static final String FAKE_BOT_TOKEN = "700000001:LOCAL-demo-token-for-the-fake-Bot-API";
    static final String DEMO_SUPPORT_ADDRESS = "support@demo-shop.example";

    private final DemoConfig config;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Optional<TelegramFake> fakeTelegram;
    private final Optional<MailFake> mailServer;
    private final Optional<VkFake> fakeVk;
    private final Optional<ViberFake> fakeViber;
    private final InboxStore store;
    private final Inbox inbox;
    private final SwitchboardServer server;
    private final ContactCenterApi api;
    private final Optional<DemoSimulator> simulator;
    private final Path secretsFile;
    private final Optional<String> newAdminSecret;
    private final AgentAuth auth;
    private volatile boolean closed;

    /** The agents of the demo's roster; each logs in with the generated admin secret. */
    public static final Set<String> AGENTS = Set.of("maria", "alex");

    private DemoContactCenter(DemoConfig config) throws IOException {
        this.config = config;
        Files.createDirectories(config.dataDir());
        DemoSecrets secrets = DemoSecrets.loadOrCreate(config.dataDir().resolve("demo-secrets.properties"));
        this.secretsFile = config.dataDir().resolve("demo-secrets.properties");
        this.newAdminSecret = secrets.created() ? Optional.of(secrets.adminSecret()) : Optional.empty();
        Map<ChannelId, String> modes = new LinkedHashMap<>();
        Map<ChannelId, String> labels = new LinkedHashMap<>();

        // ---- channels: real platforms when configured, local fakes otherwise
        TelegramChannel telegram;
        if (config.telegram().isPresent()) {
            fakeTelegram = Optional.empty();
            telegram = TelegramChannel.builder().id(TELEGRAM).tenant(TENANT)
                    .botToken(config.telegram().get().botToken())
                    .apiBaseUrl(config.telegram().get().apiBaseUrl()).build();
            modes.put(TELEGRAM, "live");
        } else {
            // Telegram's own long-poll cap: the demo's bot holds a 10 s poll open as it would against Telegram
            TelegramFake fake = TelegramFake.builder().token(FAKE_BOT_TOKEN).longPollCap(Duration.ofSeconds(50))
                    .build();
            closeables.add(fake);
            fakeTelegram = Optional.of(fake);
            telegram = TelegramChannel.builder().id(TELEGRAM).tenant(TENANT).botToken(FAKE_BOT_TOKEN)
                    .apiBaseUrl(fake.url()).pollTimeout(Duration.ofSeconds(10))
                    .retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(2)).build();
            modes.put(TELEGRAM, "demo");
        }
        labels.put(TELEGRAM, "Telegram");

        EmailChannel email;
        if (config.email().isPresent()) {
            DemoConfig.EmailSettings e = config.email().get();
            mailServer = Optional.empty();
            email = EmailChannel.builder().id(EMAIL).tenant(TENANT).address(e.address()).displayName("Самовар")
                    .imap(ImapSettings.of(e.imapHost(), e.imapPort(), e.imapPort() == 143 ? TlsMode.STARTTLS
                            : TlsMode.IMPLICIT, e.imapUser(), e.imapPassword()))
                    .smtp(SmtpSettings.of(e.smtpHost(), e.smtpPort(), e.smtpPort() == 465 ? TlsMode.IMPLICIT
                            : TlsMode.STARTTLS, e.smtpUser(), e.smtpPassword()))
                    .stateStore(new FileMailboxStateStore(config.dataDir().resolve("mailbox-state")))
                    .threadTokenSecret(secrets.emailThreadSecret()).build();
            modes.put(EMAIL, "live");
        } else {
            MailFake mail = MailFake.builder().mailbox(DEMO_SUPPORT_ADDRESS, DEMO_SUPPORT_ADDRESS,
                    secrets.localMailPassword()).build();
            closeables.add(mail);
            mailServer = Optional.of(mail);
            email = EmailChannel.builder().id(EMAIL).tenant(TENANT).address(DEMO_SUPPORT_ADDRESS)
                    .displayName("Самовар")
                    .imap(ImapSettings.of(MailFake.HOST, mail.imapPort(), TlsMode.NONE, DEMO_SUPPORT_ADDRESS,
                            secrets.localMailPassword()).withPollInterval(Duration.ofSeconds(1)))
                    .smtp(SmtpSettings.of(MailFake.HOST, mail.smtpPort(), TlsMode.NONE, DEMO_SUPPORT_ADDRESS,
                            secrets.localMailPassword()))
                    .stateStore(new InMemoryMailboxStateStore())
                    .threadTokenSecret(secrets.emailThreadSecret()).build();
            modes.put(EMAIL, "demo");
        }
        labels.put(EMAIL, "Email");

        // VK: a real community (Callback API on this server when VK_SECRET is set, else Bots Long Poll), or the
        // published VK fake pushing Callback API events over HTTP to this server's webhook, as VK would.
        VkChannel vk;
        if (config.vk().isPresent()) {
            DemoConfig.VkSettings v = config.vk().get();
            fakeVk = Optional.empty();
            VkChannel.Builder b = VkChannel.builder().id(VK).tenant(TENANT).groupId(v.groupId())
                    .accessToken(v.accessToken()).apiBaseUrl(v.apiBaseUrl());
            if (v.callback()) {
                b.callback(v.callbackSecret().get(), v.confirmationCode().orElse(null));
            } else {
                b.longPoll();
            }
            vk = b.build();
            modes.put(VK, "live");
        } else {
            VkFake fake = new VkFake();
            closeables.add(fake);
            fakeVk = Optional.of(fake);
            vk = VkChannel.builder().id(VK).tenant(TENANT).groupId(VkFake.GROUP_ID).accessToken(VkFake.TOKEN)
                    .apiBaseUrl(fake.apiBaseUrl()).callback(VkFake.SECRET, VkFake.CONFIRMATION)
                    .retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(2)).build();
            modes.put(VK, "demo");
        }
        labels.put(VK, "VK");

        // Viber: a real bot (VIBER_TOKEN, VIBER_WEBHOOK_URL) or the published Viber fake pushing signed callbacks
        ViberChannel viber;
        Optional<DemoViber.Settings> realViber = DemoViber.fromEnvironment(System.getenv());
        if (realViber.isPresent()) {
            fakeViber = Optional.empty();
            viber = DemoViber.bot(TENANT).authToken(realViber.get().token()).webhookUrl(realViber.get().webhookUrl()).build();
            modes.put(DemoViber.VIBER, "live");
        } else {
            ViberFake fake = new ViberFake();
            closeables.add(fake);
            fakeViber = Optional.of(fake);
            viber = DemoViber.bot(TENANT).authToken(ViberFake.TOKEN).apiBaseUrl(fake.apiBaseUrl()).build();
            modes.put(DemoViber.VIBER, "demo");
        }
        labels.put(DemoViber.VIBER, "Viber");

        WebchatChannel webchat = WebchatChannel.builder().id(WEBCHAT).tenant(TENANT)
                .tokenSecret(secrets.webchatTokenSecret()).identitySecret(secrets.webchatIdentitySecret())
                .fileStore(new DirectoryWebchatFileStore(config.dataDir().resolve("webchat-files")))
                .phoneRegion("RU").agentsOnline(true).build();
        modes.put(WEBCHAT, "live");
        labels.put(WEBCHAT, "Website chat");

        // ---- the inbox on the embedded database
        store = JdbcInboxStore.h2File(config.dataDir().resolve("db"));
        IdentityEngine identity = IdentityEngine.builder().defaultRegion("RU").build();
        Clock clock = Clock.systemUTC();
        inbox = Inbox.builder().store(store).identity(identity).clock(clock)
                .channel(telegram).channel(email).channel(webchat).channel(vk).channel(viber).build();
        closeables.add(inbox.addListener(new DemoBot(inbox, TENANT, TELEGRAM)));
        closeables.add(inbox.addListener(new ShopIdentityBridge(inbox, TENANT, WEBCHAT, ShopDirectory.demo(), clock)));

        // ---- the web: webchat endpoints, REST API, console and shop pages on one port
        WebUi web = new WebUi(secrets.webchatIdentitySecret(), new WebUi.SignedInUser(ShopDirectory.ANNA.id(),
                ShopDirectory.ANNA.name(), ShopDirectory.ANNA.email()));
        DemoHooksImpl hooks = new DemoHooksImpl();
        auth = new AgentAuth(AgentAuth.sharedSecret(secrets.adminSecret(), AGENTS), Duration.ofHours(12), clock);
        api = new ContactCenterApi(inbox, store, identity, TENANT, modes, labels,
                allFakes() ? Optional.of(hooks) : Optional.empty(), auth, clock);
        Set<String> hosts = new java.util.HashSet<>(config.allowedHosts());
        hosts.addAll(Set.of("localhost", "127.0.0.1", "[::1]"));
        if (!config.host().equals("0.0.0.0") && !config.host().equals("::")) {
            hosts.add(config.host());
        }
        server = SwitchboardServer.builder().host(config.host()).port(config.port()).allowedHosts(hosts)
                .channel(telegram).channel(email).channel(vk).channel(viber).channel(webchat)
                .route("*", ContactCenterApi.PREFIX, api::handle)
                .route("*", "/", web::handle)
                .build();

        inbox.start();
        // business hours, acknowledgements, routing, SLA and the agents (see docs/examples.md)
        DemoOperations.configure(inbox.forTenant(TENANT), config.timings());
        server.start();
        if (fakeVk.isPresent()) {
            fakeVk.get().pushTo(baseUri().resolve(vk.webhook().orElseThrow().path()).toString());
        }
        if (fakeViber.isPresent()) {
            // the fake calls the demo's webhook over HTTP; a customer opens the chat (the bot answers with its
            // welcome message) and writes
            fakeViber.get().pushTo(baseUri().resolve(viber.webhook().orElseThrow().path()).toString());
            fakeViber.get().startConversation(DemoViber.DEMO_CUSTOMER, "Иван", Optional.empty());
            fakeViber.get().deliverText(DemoViber.DEMO_CUSTOMER, "Иван", "Добрый день! Пишу из Viber: когда "
                    + "привезут мой самовар?");
        }

        if (allFakes()) {
            simulator = Optional.of(new DemoSimulator(new DemoSimulator.Setup(inbox, TENANT, fakeTelegram.get(),
                    TELEGRAM, mailServer.get(), EMAIL, baseUri(), WEBCHAT, web::identityToken, ZoneId.systemDefault(),
                    clock, fakeVk.get(), VK)));
        } else {
            simulator = Optional.empty();
            log.info("Real platform credentials configured: the simulator is off.");
        }
    }

    private boolean allFakes() {
        return fakeTelegram.isPresent() && mailServer.isPresent() && fakeVk.isPresent();
    }

    /**
     * Starts the demo: channels, inbox, web server, and (per {@link DemoConfig#scenario()}) the simulator's scenario in
     * the background. Close the returned handle to stop everything.
     */
    public static DemoContactCenter start(DemoConfig config) {
        DemoContactCenter demo;
        try {
            demo = new DemoContactCenter(config);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the demo", e);
        }
        try {
            demo.maybeRunScenario();
        } catch (RuntimeException e) {
            demo.close();
            throw e;
        }
        return demo;
    }

    private void maybeRunScenario() {
        if (simulator.isEmpty()) {
            return;
        }
        boolean run = switch (config.scenario()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> inbox.conversations(ConversationQuery.all(TENANT, 1)).items().isEmpty();
        };
        if (run) {
            simulator.get().start();
        } else if (config.scenario() == DemoConfig.ScenarioMode.AUTO) {
            log.info("The database already has conversations: not replaying the scenario (use the console's button).");
        }
    }

    public static void main(String[] args) {
        DemoConfig config;
        try {
            config = DemoConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException | IllegalStateException e) {
            log.error("{}", e.getMessage());
            System.exit(2);
            return;
        }
        DemoContactCenter demo = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "demo-shutdown"));
        demo.printBanner();
    }

    private void printBanner() {
        String banner = String.join(System.lineSeparator(),
                "",
                "  Switchboard demo contact center is running",
                "",
                "    Shop (chat widget):  " + shopUrl(),
                "    Agent console:       " + consoleUrl(),
                "    REST API:            " + apiUrl(),
                "    OpenAPI:             " + openApiUrl(),
                "",
                "    Telegram: " + (fakeTelegram.isPresent() ? "demo (local fake Bot API at " + fakeTelegram.get().url() + ")" : "live"),
                "    Email:    " + (mailServer.isPresent() ? "demo (local mail server, SMTP " + mailServer.get().smtpPort()
                        + ", IMAP " + mailServer.get().imapPort() + ")" : "live (" + config.email().get().address() + ")"),
                "    VK:       " + (fakeVk.isPresent() ? "demo (local VK fake at " + fakeVk.get().apiBaseUrl()
                        + ", Callback API events to " + baseUri() + "/webhooks/vk/" + VK.value() + ")"
                        : "live (community " + config.vk().get().groupId() + ", "
                        + (config.vk().get().callback() ? "Callback API at /webhooks/vk/" + VK.value() : "Bots Long Poll")
                        + ")"),
                "    Data:     " + config.dataDir().toAbsolutePath(),
                newAdminSecret.map(s -> "    Log in as maria or alex with the admin secret (shown once; kept in "
                        + secretsFile.toAbsolutePath() + "):" + System.lineSeparator() + System.lineSeparator()
                        + "        " + s).orElse("    Log in as maria or alex with the admin secret in "
                        + secretsFile.toAbsolutePath() + " (admin.secret)"),
                simulator.isPresent() ? "    Simulator: " + (simulator.get().state() == DemoSimulator.State.IDLE
                        ? "idle (press \"Replay scenario\" in the console)" : "playing the scenario") : "    Simulator: off",
                "",
                "  Press Ctrl+C to stop.",
                "");
        log.info("{}", banner);
    }

    // ---- the handle ----------------------------------------------------------------------------------------------

    /** {@code http://localhost:PORT} (the host the server is reachable on locally). */
    public URI baseUri() {
        return URI.create("http://" + (config.host().equals("0.0.0.0") ? "localhost" : config.host()) + ":"
                + server.port());
    }

    public String shopUrl() {
        return baseUri() + "/";
    }

    public String consoleUrl() {
        return baseUri() + "/console/";
    }

    public String apiUrl() {
        return baseUri() + ContactCenterApi.PREFIX;
    }

    public String openApiUrl() {
        return apiUrl() + "/openapi.yaml";
    }

    public int port() {
        return server.port();
    }

    public Inbox inbox() {
        return inbox;
    }

    /** The demo's store, for tests that record what a feature not in the demo yet would (package-private). */
    InboxStore store() {
        return store;
    }

    public ContactCenterApi api() {
        return api;
    }

    /** The console and API login. */
    public AgentAuth auth() {
        return auth;
    }

    /** The admin secret agents log in with (for tests and embedding hosts; never logged). */
    public String adminSecret() {
        try {
            return DemoSecrets.loadOrCreate(secretsFile).adminSecret();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<DemoSimulator> simulator() {
        return simulator;
    }

    public Optional<TelegramFake> fakeTelegram() {
        return fakeTelegram;
    }

    public Optional<MailFake> mailServer() {
        return mailServer;
    }

    /** The local VK fake the VK channel talks to in demo mode. */
    public Optional<VkFake> fakeVk() {
        return fakeVk;
    }

    /** The local Viber fake the Viber channel talks to in demo mode. */
    public Optional<ViberFake> fakeViber() {
        return fakeViber;
    }

    /** Stops the simulator, the server, the inbox, the store and the fakes, in that order. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        simulator.ifPresent(DemoSimulator::close);
        server.close();
        inbox.close();
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                log.warn("error while stopping {}", closeables.get(i), e);
            }
        }
        store.close();
        log.info("Demo stopped.");
    }

    @Override
    public String toString() {
        return "DemoContactCenter[" + baseUri() + "]";
    }

    // ---- demo-only API endpoints ---------------------------------------------------------------------------------

    private final class DemoHooksImpl implements ContactCenterApi.DemoHooks {
        @Override
        public ObjectNode scenario() {
            return sim().describe();
        }

        @Override
        public ObjectNode replay() {
            if (!sim().start()) {
                throw ApiException.conflict("conflict", "the scenario is already running");
            }
            return sim().describe();
        }

        @Override
        public ObjectNode platforms() {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            ArrayNode tg = out.putArray("telegram");
            fakeTelegram.ifPresent(f -> f.calls().stream().filter(c -> !c.method().equals("getUpdates"))
                    .forEach(c -> tg.addObject().put("method", c.method())
                    .put("at", c.receivedAt().toString()).set("params", c.params())));
            ArrayNode vkSent = out.putArray("vk");
            fakeVk.ifPresent(f -> f.calls("messages.send").forEach(c -> {
                ObjectNode n = vkSent.addObject().put("method", c.method());
                ObjectNode params = n.putObject("params");
                c.params().forEach(params::put);
            }));
            ArrayNode mails = out.putArray("email");
            mailServer.ifPresent(m -> {
                for (String address : List.of(ShopDirectory.ANNA.email())) {
                    for (MimeMessage msg : m.receivedBy(address)) {
                        ObjectNode n = mails.addObject();
                        n.put("to", address);
                        try {
                            n.put("subject", Optional.ofNullable(msg.getSubject()).orElse(""));
                            n.put("text", plainText(msg));
                            String[] irt = msg.getHeader("In-Reply-To");
                            if (irt != null && irt.length > 0) {
                                n.put("inReplyTo", irt[0]);
                            }
                        } catch (jakarta.mail.MessagingException | IOException e) {
                            n.put("subject", "");
                            n.put("text", "(unreadable: " + e.getMessage() + ")");
                        }
                    }
                }
            });
            return out;
        }

        /** The text/plain body of a message, looking inside multiparts. */
        private String plainText(jakarta.mail.Part part) throws jakarta.mail.MessagingException, IOException {
            if (part.isMimeType("text/plain")) {
                return String.valueOf(part.getContent());
            }
            if (part.getContent() instanceof jakarta.mail.Multipart mp) {
                for (int i = 0; i < mp.getCount(); i++) {
                    String text = plainText(mp.getBodyPart(i));
                    if (!text.isEmpty()) {
                        return text;
                    }
                }
            }
            return "";
        }

        private DemoSimulator sim() {
            return simulator.orElseThrow(() -> ApiException.notFound(
                    "the simulator is off because real platform credentials are configured"));
        }
    }

    // ---- secrets that must survive restarts ----------------------------------------------------------------------

    /**
     * The demo's generated secrets, kept in the data folder so visitor tokens, thread tokens and the admin login stay
     * valid across restarts. The file is created owner-only (POSIX 600) and tightened to that if it was looser. A real
     * deployment takes them from its secret store instead.
     *
     * @param created whether the file was created or completed now (the admin secret is then shown once)
     */
    record DemoSecrets(byte[] webchatTokenSecret, byte[] webchatIdentitySecret, byte[] emailThreadSecret,
                       String localMailPassword, String adminSecret, boolean created) {

        static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

        static DemoSecrets loadOrCreate(Path file) throws IOException {
            Properties p = new Properties();
            if (Files.exists(file)) {
                ownerOnly(file);
                try (InputStream in = Files.newInputStream(file)) {
                    p.load(in);
                }
            }
            boolean changed = false;
            for (String key : List.of("webchat.token", "webchat.identity", "email.thread", "mail.local",
                    "admin.secret")) {
                if (p.getProperty(key, "").isBlank()) {
                    byte[] random = new byte[32];
                    new SecureRandom().nextBytes(random);
                    p.setProperty(key, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
                    changed = true;
                }
            }
            if (changed) {
                write(file, p);
            }
            Base64.Decoder d = Base64.getUrlDecoder();
            return new DemoSecrets(d.decode(p.getProperty("webchat.token")),
                    d.decode(p.getProperty("webchat.identity")), d.decode(p.getProperty("email.thread")),
                    p.getProperty("mail.local"), p.getProperty("admin.secret"), changed);
        }

        /** Writes through an owner-only temporary file moved into place: the secrets are never readable by others. */
        private static void write(Path file, Properties p) throws IOException {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp;
            try {
                tmp = Files.createTempFile(dir, ".secrets-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (UnsupportedOperationException e) {
                tmp = Files.createTempFile(dir, ".secrets-", ".tmp");
            }
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    p.store(out, "Switchboard demo secrets, generated on first start. Keep private.");
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            ownerOnly(file);
        }

        private static void ownerOnly(Path file) throws IOException {
            try {
                if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                    Files.setPosixFilePermissions(file, OWNER_ONLY);
                }
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the data folder's own protection applies
            }
        }

        @Override
        public String toString() {
            return "DemoSecrets[hidden]";
        }
    }
}
