package dev.switchboard.examples;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How to run the demo contact center: port, data folder, whether the simulator plays its scenario, and — optionally —
 * credentials for the real Telegram Bot API, a real mailbox and a real VK community. Without credentials a channel runs in demo mode
 * against a local fake of its platform. Build one with {@link #builder()} or read it from environment variables with
 * {@link #fromEnvironment(Map)}; {@link Builder#build()} names every missing or inconsistent setting. {@code toString()}
 * never shows passwords or tokens.
 *
 * @param port the HTTP port; 0 picks a free one (tests)
 * @param dataDir where the embedded H2 database and the demo's generated secrets live
 * @param scenario when the simulator plays its scenario
 * @param telegram real Telegram bot credentials; empty runs Telegram against the local fake Bot API
 * @param email a real mailbox; empty runs email against the local mail server
 * @param vk a real VK community; empty runs VK against the local VK fake
 * @param allowedHosts host names browsers may reach the demo by besides localhost, 127.0.0.1 and the bind address
 *                     (requests naming any other host are refused: DNS rebinding)
 * @param timings how fast the demo's SLA and routing clocks run out ({@link Timings#DEMO} unless set)
 */
public record DemoConfig(String host, int port, Path dataDir, ScenarioMode scenario,
                         Optional<TelegramSettings> telegram, Optional<EmailSettings> email, Set<String> allowedHosts,
                         Optional<VkSettings> vk, Timings timings) {

    /**
     * The demo's short clocks, so a warning, a breach and an offline agent's hand-back show within a minute or two:
     * the first- and next-response target of the {@code demo-fast} SLA policy (VK conversations) and the routing's
     * offline grace period. Tests shorten them further.
     *
     * @param fastResponse the demo-fast policy's response target (its warning fires at half of it)
     * @param offlineGrace how long an agent who went offline keeps unanswered conversations
     */
    public record Timings(Duration fastResponse, Duration offlineGrace) {
        /** 90 seconds to answer a VK customer, 30 seconds of grace. */
        public static final Timings DEMO = new Timings(Duration.ofSeconds(90), Duration.ofSeconds(30));

        /** Checks that both are positive. */
        public Timings {
            Objects.requireNonNull(fastResponse, "fastResponse");
            Objects.requireNonNull(offlineGrace, "offlineGrace");
            if (fastResponse.isNegative() || fastResponse.isZero()) {
                throw new IllegalArgumentException("timings.fastResponse must be positive, got " + fastResponse);
            }
            if (offlineGrace.isNegative()) {
                throw new IllegalArgumentException("timings.offlineGrace must not be negative, got " + offlineGrace);
            }
        }
    }

    /** When the simulator plays its scenario. */
    public enum ScenarioMode {
        /** Only when the database has no conversations yet (the first start), so restarts do not repeat it. */
        AUTO,
        /** On every start. */
        ALWAYS,
        /** Never by itself; the console's "Replay scenario" button still starts it. */
        NEVER
    }

    /** A real Telegram bot: its token and the Bot API server (the public one unless overridden). */
    public record TelegramSettings(String botToken, String apiBaseUrl) {
        public TelegramSettings {
            Objects.requireNonNull(botToken, "botToken");
            Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
        }

        @Override
        public String toString() {
            int colon = botToken.indexOf(':');
            return "TelegramSettings[botToken=" + (colon > 0 ? botToken.substring(0, colon) : "") + ":***, apiBaseUrl="
                    + apiBaseUrl + "]";
        }
    }

    /** A real mailbox: the support address, where to read it (IMAP) and how to send (SMTP). */
    public record EmailSettings(String address, String imapHost, int imapPort, String imapUser, String imapPassword,
                                String smtpHost, int smtpPort, String smtpUser, String smtpPassword) {
        public EmailSettings {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(imapHost, "imapHost");
            Objects.requireNonNull(imapUser, "imapUser");
            Objects.requireNonNull(imapPassword, "imapPassword");
            Objects.requireNonNull(smtpHost, "smtpHost");
            Objects.requireNonNull(smtpUser, "smtpUser");
            Objects.requireNonNull(smtpPassword, "smtpPassword");
        }

        @Override
        public String toString() {
            return "EmailSettings[address=" + address + ", imap=" + imapUser + "@" + imapHost + ":" + imapPort
                    + ", smtp=" + smtpUser + "@" + smtpHost + ":" + smtpPort + ", passwords=***]";
        }
    }

    /**
     * A real VK community: its id, its community access token and the API host. With {@code callbackSecret} the demo
     * receives by the Callback API on its own server ({@code /webhooks/vk/vk}), answering VK's confirmation request
     * with {@code confirmationCode} (or the code fetched from VK when empty); without it, by Bots Long Poll.
     */
    public record VkSettings(long groupId, String accessToken, Optional<String> callbackSecret,
                             Optional<String> confirmationCode, String apiBaseUrl) {
        public VkSettings {
            Objects.requireNonNull(accessToken, "accessToken");
            Objects.requireNonNull(callbackSecret, "callbackSecret");
            Objects.requireNonNull(confirmationCode, "confirmationCode");
            Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
        }

        /** Whether events arrive by the Callback API (else by Bots Long Poll). */
        public boolean callback() {
            return callbackSecret.isPresent();
        }

        @Override
        public String toString() {
            return "VkSettings[groupId=" + groupId + ", accessToken=***, receive=" + (callback() ? "callback" : "long poll")
                    + ", apiBaseUrl=" + apiBaseUrl + "]";
        }
    }

    public DemoConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(telegram, "telegram");
        Objects.requireNonNull(email, "email");
        allowedHosts = Set.copyOf(allowedHosts);
        Objects.requireNonNull(vk, "vk");
        Objects.requireNonNull(timings, "timings");
    }

    /** A configuration with the demo's timings. */
    public DemoConfig(String host, int port, Path dataDir, ScenarioMode scenario, Optional<TelegramSettings> telegram,
                      Optional<EmailSettings> email, Set<String> allowedHosts, Optional<VkSettings> vk) {
        this(host, port, dataDir, scenario, telegram, email, allowedHosts, vk, Timings.DEMO);
    }

    /** A configuration without a real VK community. */
    public DemoConfig(String host, int port, Path dataDir, ScenarioMode scenario, Optional<TelegramSettings> telegram,
                      Optional<EmailSettings> email, Set<String> allowedHosts) {
        this(host, port, dataDir, scenario, telegram, email, allowedHosts, Optional.empty());
    }

    /** A configuration without extra host names. */
    public DemoConfig(String host, int port, Path dataDir, ScenarioMode scenario, Optional<TelegramSettings> telegram,
                      Optional<EmailSettings> email) {
        this(host, port, dataDir, scenario, telegram, email, Set.of());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The settings for a local demo: {@code 127.0.0.1:8080}, {@code ./switchboard-data}, scenario on first start, all
     * fakes.
     */
    public static DemoConfig defaults() {
        return builder().build();
    }

    /**
     * Reads the configuration from environment variables (see {@code docs/examples.md}): {@code HOST},
     * {@code ALLOWED_HOSTS} (comma-separated), {@code PORT},
     * {@code SWITCHBOARD_DATA}, {@code SCENARIO} (auto|always|never), {@code TELEGRAM_BOT_TOKEN}
     * (+ {@code TELEGRAM_API_URL}), and {@code EMAIL_ADDRESS}, {@code IMAP_HOST}, {@code IMAP_PORT}, {@code IMAP_USER},
     * {@code IMAP_PASSWORD}, {@code SMTP_HOST}, {@code SMTP_PORT}, {@code SMTP_USER}, {@code SMTP_PASSWORD}, and
     * {@code VK_GROUP_ID}, {@code VK_TOKEN} (+ {@code VK_SECRET}, {@code VK_CONFIRMATION}, {@code VK_API_URL}).
     *
     * @throws IllegalArgumentException naming every variable that is missing or malformed
     */
    public static DemoConfig fromEnvironment(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Builder b = builder();
        text(env, "HOST").ifPresent(b::host);
        text(env, "ALLOWED_HOSTS").ifPresent(v ->
                b.allowedHosts(new java.util.HashSet<>(List.of(v.split("\\s*,\\s*")))));
        text(env, "PORT").ifPresent(v -> parsePort(v, "PORT", problems).ifPresent(b::port));
        text(env, "SWITCHBOARD_DATA").ifPresent(v -> b.dataDir(Path.of(v)));
        text(env, "SCENARIO").ifPresent(v -> {
            try {
                b.scenario(ScenarioMode.valueOf(v.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problems.add("SCENARIO must be auto, always or never, got '" + v + "'");
            }
        });
        Optional<String> token = text(env, "TELEGRAM_BOT_TOKEN");
        token.ifPresent(t -> b.telegram(new TelegramSettings(t,
                text(env, "TELEGRAM_API_URL").orElse("https://api.telegram.org"))));

        List<String> emailVars = List.of("EMAIL_ADDRESS", "IMAP_HOST", "IMAP_USER", "IMAP_PASSWORD", "SMTP_HOST");
        boolean anyEmail = emailVars.stream().anyMatch(v -> text(env, v).isPresent());
        if (anyEmail) {
            List<String> missing = emailVars.stream().filter(v -> text(env, v).isEmpty()).toList();
            if (!missing.isEmpty()) {
                problems.add("a real mailbox needs " + String.join(", ", emailVars) + "; missing: "
                        + String.join(", ", missing));
            } else {
                String address = text(env, "EMAIL_ADDRESS").get();
                int imapPort = text(env, "IMAP_PORT").flatMap(v -> parsePort(v, "IMAP_PORT", problems)).orElse(993);
                int smtpPort = text(env, "SMTP_PORT").flatMap(v -> parsePort(v, "SMTP_PORT", problems)).orElse(465);
                String imapUser = text(env, "IMAP_USER").get();
                String imapPassword = text(env, "IMAP_PASSWORD").get();
                b.email(new EmailSettings(address, text(env, "IMAP_HOST").get(), imapPort, imapUser, imapPassword,
                        text(env, "SMTP_HOST").get(), smtpPort, text(env, "SMTP_USER").orElse(imapUser),
                        text(env, "SMTP_PASSWORD").orElse(imapPassword)));
            }
        }
        vkFromEnvironment(env, problems).ifPresent(b::vk);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: " + String.join("; ", problems));
        }
        return b.build();
    }

    /** VK_GROUP_ID and VK_TOKEN select a real community; VK_SECRET switches from Long Poll to the Callback API. */
    private static Optional<VkSettings> vkFromEnvironment(Map<String, String> env, List<String> problems) {
        List<String> vkVars = List.of("VK_GROUP_ID", "VK_TOKEN", "VK_SECRET", "VK_CONFIRMATION");
        if (vkVars.stream().noneMatch(v -> text(env, v).isPresent())) {
            return Optional.empty();
        }
        List<String> missing = List.of("VK_GROUP_ID", "VK_TOKEN").stream().filter(v -> text(env, v).isEmpty()).toList();
        if (!missing.isEmpty()) {
            problems.add("a real VK community needs VK_GROUP_ID and VK_TOKEN; missing: " + String.join(", ", missing));
            return Optional.empty();
        }
        if (text(env, "VK_CONFIRMATION").isPresent() && text(env, "VK_SECRET").isEmpty()) {
            problems.add("VK_CONFIRMATION needs VK_SECRET (the Callback API's secret key); without both the demo "
                    + "receives by Long Poll");
            return Optional.empty();
        }
        String groupId = text(env, "VK_GROUP_ID").get();
        long id;
        try {
            id = Long.parseLong(groupId.startsWith("club") ? groupId.substring(4) : groupId);
        } catch (NumberFormatException e) {
            problems.add("VK_GROUP_ID must be the community's number, got '" + groupId + "'");
            return Optional.empty();
        }
        if (id <= 0) {
            problems.add("VK_GROUP_ID must be positive, got " + groupId);
            return Optional.empty();
        }
        return Optional.of(new VkSettings(id, text(env, "VK_TOKEN").get(), text(env, "VK_SECRET"),
                text(env, "VK_CONFIRMATION"), text(env, "VK_API_URL").orElse("https://api.vk.ru/method")));
    }

    private static Optional<String> text(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    private static Optional<Integer> parsePort(String v, String name, List<String> problems) {
        try {
            int p = Integer.parseInt(v);
            if (p < 0 || p > 65535) {
                problems.add(name + " must be within 0..65535, got " + v);
                return Optional.empty();
            }
            return Optional.of(p);
        } catch (NumberFormatException e) {
            problems.add(name + " must be a number, got '" + v + "'");
            return Optional.empty();
        }
    }

    /** Assembles a {@link DemoConfig}; defaults are the local demo. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private Set<String> allowedHosts = Set.of();
        private int port = 8080;
        private Path dataDir = Path.of("switchboard-data");
        private ScenarioMode scenario = ScenarioMode.AUTO;
        private TelegramSettings telegram;
        private EmailSettings email;
        private VkSettings vk;
        private Timings timings = Timings.DEMO;

        private Builder() {
        }

        /** The SLA and routing clocks of the demo ({@link Timings#DEMO} unless set; tests shorten them). */
        public Builder timings(Timings timings) {
            this.timings = Objects.requireNonNull(timings, "timings");
            return this;
        }

        /**
         * The interface to listen on (default {@code 127.0.0.1}: only this machine); {@code 0.0.0.0} exposes the demo
         * to the network, which then also needs {@link #allowedHosts} for the names it is reached by.
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Host names (without port) browsers may use besides localhost, 127.0.0.1 and the bind address. */
        public Builder allowedHosts(Set<String> hosts) {
            this.allowedHosts = Set.copyOf(hosts);
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        public Builder scenario(ScenarioMode scenario) {
            this.scenario = Objects.requireNonNull(scenario, "scenario");
            return this;
        }

        public Builder telegram(TelegramSettings telegram) {
            this.telegram = Objects.requireNonNull(telegram, "telegram");
            return this;
        }

        public Builder email(EmailSettings email) {
            this.email = Objects.requireNonNull(email, "email");
            return this;
        }

        /** A real VK community instead of the local VK fake. */
        public Builder vk(VkSettings vk) {
            this.vk = Objects.requireNonNull(vk, "vk");
            return this;
        }

        public DemoConfig build() {
            if (port < 0 || port > 65535) {
                throw new IllegalStateException("port must be within 0..65535 (0 = any free port), got " + port);
            }
            if (telegram != null && !telegram.botToken().matches("\\d+:[A-Za-z0-9_-]{20,}")) {
                throw new IllegalStateException("TELEGRAM_BOT_TOKEN does not look like a bot token (digits:secret)");
            }
            if (email != null && !email.address().contains("@")) {
                throw new IllegalStateException("EMAIL_ADDRESS must be an email address, got '" + email.address() + "'");
            }
            if (vk != null && vk.groupId() <= 0) {
                throw new IllegalStateException("VK_GROUP_ID must be positive, got " + vk.groupId());
            }
            if (vk != null && vk.accessToken().isBlank()) {
                throw new IllegalStateException("VK_TOKEN must not be blank");
            }
            for (String h : allowedHosts) {
                if (!h.matches("[A-Za-z0-9.-]{1,253}")) {
                    throw new IllegalStateException("ALLOWED_HOSTS takes host names without port or scheme, got '"
                            + h + "'");
                }
            }
            return new DemoConfig(host, port, dataDir, scenario, Optional.ofNullable(telegram),
                    Optional.ofNullable(email), allowedHosts, Optional.ofNullable(vk), timings);
        }
    }
}
