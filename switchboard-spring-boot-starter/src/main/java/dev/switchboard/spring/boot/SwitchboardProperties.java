package dev.switchboard.spring.boot;

import dev.switchboard.inbox.ThreadingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * The {@code switchboard.*} settings of a Spring Boot application: the store, the channels of each tenant with their
 * credentials, identity, outbox and ingest options, webhooks and metrics. Bound with Spring Boot's relaxed binding, so
 * every value can come from {@code application.yml}, the environment ({@code SWITCHBOARD_TENANTS_0_CHANNELS_0_TELEGRAM_BOTTOKEN})
 * or any other property source; checked when the inbox is built, with messages naming the property. Secrets (bot
 * tokens, webhook secrets, passwords) are never logged, and the starter masks them in {@code /actuator/env} and
 * {@code /actuator/configprops} even when those endpoints are configured to show values. docs/spring-boot.md lists
 * every property. Mutable JavaBean for binding; not meant to be shared across threads while bound.
 */
@ConfigurationProperties("switchboard")
public class SwitchboardProperties {

    /** Whether the starter configures an inbox at all. */
    private boolean enabled = true;

    /** This node's id, unique among the nodes sharing a store (default: random). */
    private String nodeId;

    /** One open conversation per customer, or per customer and channel. */
    private ThreadingPolicy threading = ThreadingPolicy.PER_CUSTOMER;

    /** How long after resolution a new message reopens a conversation instead of starting one. */
    private Duration reopenWindow = Duration.ofDays(7);

    private final Store store = new Store();
    private final Identity identity = new Identity();
    private final Outbox outbox = new Outbox();
    private final Ingest ingest = new Ingest();
    private final Webhooks webhooks = new Webhooks();
    private final Endpoints endpoints = new Endpoints();
    private final Metrics metrics = new Metrics();

    /** The tenants (businesses) and their channels; single-business applications declare one, {@code default}. */
    private List<Tenant> tenants = new ArrayList<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getNodeId() {
        return nodeId;
    }

    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    public ThreadingPolicy getThreading() {
        return threading;
    }

    public void setThreading(ThreadingPolicy threading) {
        this.threading = threading;
    }

    public Duration getReopenWindow() {
        return reopenWindow;
    }

    public void setReopenWindow(Duration reopenWindow) {
        this.reopenWindow = reopenWindow;
    }

    public Store getStore() {
        return store;
    }

    public Identity getIdentity() {
        return identity;
    }

    public Outbox getOutbox() {
        return outbox;
    }

    public Ingest getIngest() {
        return ingest;
    }

    public Webhooks getWebhooks() {
        return webhooks;
    }

    public Endpoints getEndpoints() {
        return endpoints;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public List<Tenant> getTenants() {
        return tenants;
    }

    public void setTenants(List<Tenant> tenants) {
        this.tenants = tenants;
    }

    /** Where the inbox keeps its data. */
    public static class Store {
        /** AUTO: the application's DataSource when it has exactly one, else in memory. */
        private StoreType type = StoreType.AUTO;

        /** A database schema for the tables instead of the connection's default one. */
        private String schema;

        /** Who creates and upgrades the schema. */
        private Migration migration = Migration.AUTO;

        public StoreType getType() {
            return type;
        }

        public void setType(StoreType type) {
            this.type = type;
        }

        public String getSchema() {
            return schema;
        }

        public void setSchema(String schema) {
            this.schema = schema;
        }

        public Migration getMigration() {
            return migration;
        }

        public void setMigration(Migration migration) {
            this.migration = migration;
        }
    }

    /** Which store the inbox uses. */
    public enum StoreType {
        /** JDBC on the application's DataSource when there is exactly one, in memory otherwise. */
        AUTO,
        /** JDBC on the application's DataSource (required). */
        JDBC,
        /** In memory: nothing survives a restart; for development and tests. */
        MEMORY
    }

    /** How the JDBC store's schema is created and upgraded. */
    public enum Migration {
        /**
         * With the application's Flyway (Spring Boot's Flyway auto-configuration active): Switchboard's scripts run once,
         * after the application's own migrations, with a Flyway configured like the application's (its DataSource,
         * user, placeholders and retries) but Switchboard's own locations and history table. Without it: the store
         * runs them itself on start.
         */
        AUTO,
        /** Nothing is migrated: the application applies the scripts (shipped in unified-inbox) with its own tooling. */
        NONE
    }

    /** Identity resolution options (docs/identity.md). Unset values keep the engine's defaults. */
    public static class Identity {
        /** The region for phone numbers written without a country code, e.g. RU or DE. */
        private String defaultRegion;

        /** The lowest score (0-1) at which similar customers are suggested to an agent for merging. */
        private Double suggestionThreshold;

        /** A name shared by more customers than this raises no suggestions. */
        private Integer commonNameCustomers;

        /** A phone, email or id held by more customers than this neither merges nor suggests. */
        private Integer sharedPointCustomers;

        /** The most name candidates scored per event. */
        private Integer maxNameCandidates;

        public String getDefaultRegion() {
            return defaultRegion;
        }

        public void setDefaultRegion(String defaultRegion) {
            this.defaultRegion = defaultRegion;
        }

        public Double getSuggestionThreshold() {
            return suggestionThreshold;
        }

        public void setSuggestionThreshold(Double suggestionThreshold) {
            this.suggestionThreshold = suggestionThreshold;
        }

        public Integer getCommonNameCustomers() {
            return commonNameCustomers;
        }

        public void setCommonNameCustomers(Integer commonNameCustomers) {
            this.commonNameCustomers = commonNameCustomers;
        }

        public Integer getSharedPointCustomers() {
            return sharedPointCustomers;
        }

        public void setSharedPointCustomers(Integer sharedPointCustomers) {
            this.sharedPointCustomers = sharedPointCustomers;
        }

        public Integer getMaxNameCandidates() {
            return maxNameCandidates;
        }

        public void setMaxNameCandidates(Integer maxNameCandidates) {
            this.maxNameCandidates = maxNameCandidates;
        }
    }

    /** Outbox delivery settings (docs/unified-inbox.md). Unset values keep the defaults. */
    public static class Outbox {
        /** Sends in flight at once on this node. */
        private Integer workers;

        /** Rows claimed per query. */
        private Integer batchSize;

        /** Attempts before a retryable failure becomes final. */
        private Integer maxAttempts;

        /** The first retry's backoff (doubled per attempt up to max-backoff). */
        private Duration baseBackoff;

        /** The longest backoff between attempts. */
        private Duration maxBackoff;

        /** Random share (0-1) taken off each backoff. */
        private Double jitter;

        /** How long one send may take before it counts as failed (retryable). */
        private Duration sendTimeout;

        /** How long a claimed row stays leased to this node. */
        private Duration leaseDuration;

        /** How often the outbox table is polled for due rows. */
        private Duration pollInterval;

        public Integer getWorkers() {
            return workers;
        }

        public void setWorkers(Integer workers) {
            this.workers = workers;
        }

        public Integer getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(Integer batchSize) {
            this.batchSize = batchSize;
        }

        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getBaseBackoff() {
            return baseBackoff;
        }

        public void setBaseBackoff(Duration baseBackoff) {
            this.baseBackoff = baseBackoff;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public Double getJitter() {
            return jitter;
        }

        public void setJitter(Double jitter) {
            this.jitter = jitter;
        }

        public Duration getSendTimeout() {
            return sendTimeout;
        }

        public void setSendTimeout(Duration sendTimeout) {
            this.sendTimeout = sendTimeout;
        }

        public Duration getLeaseDuration() {
            return leaseDuration;
        }

        public void setLeaseDuration(Duration leaseDuration) {
            this.leaseDuration = leaseDuration;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }
    }

    /** Inbound processing. */
    public static class Ingest {
        /** Ingest threads committing in parallel (1-64). */
        private int threads = 4;

        /** The most inbound events committed in one transaction (1-10000). */
        private int batchSize = 100;

        public int getThreads() {
            return threads;
        }

        public void setThreads(int threads) {
            this.threads = threads;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }
    }

    /**
     * The routes and streams channels declare through {@code Channel.endpoints()} (the website chat's HTTP endpoints,
     * WebSocket and Server-Sent Events), mounted on the application's own Spring MVC server at the paths the channels
     * declare (Spring MVC or WebFlux).
     */
    public static class Endpoints {
        /** Whether the channels' declared routes and streams are mounted (Spring MVC and WebFlux applications). */
        private boolean enabled = true;

        /**
         * How often an open Server-Sent Events stream gets a comment line, so proxies and load balancers do not close
         * it as idle and a client that went away is noticed.
         */
        private Duration sseHeartbeat = Duration.ofSeconds(25);

        /**
         * How long one Server-Sent Events response may stay open on Spring MVC before the server ends it (the client
         * reconnects with Last-Event-ID and misses nothing); replaces Spring MVC's async request timeout for these
         * streams.
         */
        private Duration sseTimeout = Duration.ofMinutes(30);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getSseHeartbeat() {
            return sseHeartbeat;
        }

        public void setSseHeartbeat(Duration sseHeartbeat) {
            this.sseHeartbeat = sseHeartbeat;
        }

        public Duration getSseTimeout() {
            return sseTimeout;
        }

        public void setSseTimeout(Duration sseTimeout) {
            this.sseTimeout = sseTimeout;
        }
    }

    /** The channels' webhooks on the application's own web server. */
    public static class Webhooks {
        /** Whether the webhooks are mounted (Spring MVC applications). */
        private boolean enabled = true;

        /** Put in front of every channel's own path, e.g. /api gives /api/webhooks/telegram/support-bot. */
        private String pathPrefix = "";

        /** Request bodies larger than this are refused with 413 before a channel sees them. */
        private DataSize maxBodySize = DataSize.ofMegabytes(1);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPathPrefix() {
            return pathPrefix;
        }

        public void setPathPrefix(String pathPrefix) {
            this.pathPrefix = pathPrefix;
        }

        public DataSize getMaxBodySize() {
            return maxBodySize;
        }

        public void setMaxBodySize(DataSize maxBodySize) {
            this.maxBodySize = maxBodySize;
        }
    }

    /** Micrometer meters (when the application has a MeterRegistry). */
    public static class Metrics {
        /** Whether meters and observations carry a tenant tag; keep off with many tenants. */
        private boolean tenantTags = false;

        /** The most often the outbox backlog gauges query the store. */
        private Duration backlogRefresh = Duration.ofSeconds(10);

        public boolean isTenantTags() {
            return tenantTags;
        }

        public void setTenantTags(boolean tenantTags) {
            this.tenantTags = tenantTags;
        }

        public Duration getBacklogRefresh() {
            return backlogRefresh;
        }

        public void setBacklogRefresh(Duration backlogRefresh) {
            this.backlogRefresh = backlogRefresh;
        }
    }

    /** One tenant (a business) and its channels. */
    public static class Tenant {
        /** The tenant id ({@code default} for a single business). */
        private String id;

        /** The tenant's channels. */
        private List<ChannelProperties> channels = new ArrayList<>();

        public String getId() {
            return id;
        }

        public void setId(String id) {
            this.id = id;
        }

        public List<ChannelProperties> getChannels() {
            return channels;
        }

        public void setChannels(List<ChannelProperties> channels) {
            this.channels = channels;
        }
    }

    /** One channel: its id, its type and the settings of that type. */
    public static class ChannelProperties {
        /** The channel id, unique within its tenant, e.g. support-bot. */
        private String id;

        /** The channel type: telegram, email, vk, viber, or the type of a ChannelFactory bean the application declares. */
        private String type;

        /** Whether this channel is configured (false keeps its settings but leaves it out). */
        private boolean enabled = true;

        private final Telegram telegram = new Telegram();
        private final Email email = new Email();
        @NestedConfigurationProperty
        private final VkProperties vk = new VkProperties();
        @NestedConfigurationProperty
        private final ViberProperties viber = new ViberProperties();

        /** Free-form settings for channel types contributed by a ChannelFactory bean. */
        private Map<String, String> settings = new LinkedHashMap<>();

        public String getId() {
            return id;
        }

        public void setId(String id) {
            this.id = id;
        }

        public String getType() {
            return type;
        }

        public void setType(String type) {
            this.type = type;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Telegram getTelegram() {
            return telegram;
        }

        public Email getEmail() {
            return email;
        }

        /** The settings of a {@code vk} channel (channel-vk). */
        public VkProperties getVk() {
            return vk;
        }

        /** The settings of a {@code viber} channel (channel-viber). */
        public ViberProperties getViber() {
            return viber;
        }

        public Map<String, String> getSettings() {
            return settings;
        }

        public void setSettings(Map<String, String> settings) {
            this.settings = settings;
        }
    }

    /** A Telegram bot (channel-telegram). */
    public static class Telegram {
        /** The bot token from BotFather (secret). */
        private String botToken;

        /** POLLING (getUpdates) or WEBHOOK (Telegram calls the application's server). */
        private TelegramReceive mode = TelegramReceive.POLLING;

        /** The public HTTPS URL Telegram calls in WEBHOOK mode; its path must be the channel's webhook path. */
        private String webhookUrl;

        /** The secret Telegram echoes in X-Telegram-Bot-Api-Secret-Token (secret; 1-256 of A-Z a-z 0-9 _ -). */
        private String webhookSecret;

        /** The Bot API server (a local telegram-bot-api server, or a fake in tests). */
        private String apiBaseUrl = "https://api.telegram.org";

        /** The long-poll wait sent to getUpdates (0-50 s). */
        private Duration pollTimeout = Duration.ofSeconds(30);

        public String getBotToken() {
            return botToken;
        }

        public void setBotToken(String botToken) {
            this.botToken = botToken;
        }

        public TelegramReceive getMode() {
            return mode;
        }

        public void setMode(TelegramReceive mode) {
            this.mode = mode;
        }

        public String getWebhookUrl() {
            return webhookUrl;
        }

        public void setWebhookUrl(String webhookUrl) {
            this.webhookUrl = webhookUrl;
        }

        public String getWebhookSecret() {
            return webhookSecret;
        }

        public void setWebhookSecret(String webhookSecret) {
            this.webhookSecret = webhookSecret;
        }

        public String getApiBaseUrl() {
            return apiBaseUrl;
        }

        public void setApiBaseUrl(String apiBaseUrl) {
            this.apiBaseUrl = apiBaseUrl;
        }

        public Duration getPollTimeout() {
            return pollTimeout;
        }

        public void setPollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
        }
    }

    /** How a Telegram bot receives updates. */
    public enum TelegramReceive {
        /** Long polling with getUpdates, on the node holding the channel's lease. */
        POLLING,
        /** A webhook on the application's server; registered with setWebhook at start. */
        WEBHOOK
    }

    /** A mailbox (channel-email): IMAP in, SMTP out. */
    public static class Email {
        /** The mailbox address customers write to, e.g. support@shop.example. */
        private String address;

        /** The name shown next to the address. */
        private String displayName;

        /** A Reply-To address for outgoing mail. */
        private String replyTo;

        /** The key (16+ characters) signing conversation tokens in Message-IDs (secret). */
        private String threadTokenSecret;

        /** The provider's sending limit, declared to the outbox (mails per minute). */
        private int sendRatePerMinute = 60;

        private final MailServer imap = new MailServer();
        private final MailServer smtp = new MailServer();

        public String getAddress() {
            return address;
        }

        public void setAddress(String address) {
            this.address = address;
        }

        public String getDisplayName() {
            return displayName;
        }

        public void setDisplayName(String displayName) {
            this.displayName = displayName;
        }

        public String getReplyTo() {
            return replyTo;
        }

        public void setReplyTo(String replyTo) {
            this.replyTo = replyTo;
        }

        public String getThreadTokenSecret() {
            return threadTokenSecret;
        }

        public void setThreadTokenSecret(String threadTokenSecret) {
            this.threadTokenSecret = threadTokenSecret;
        }

        public int getSendRatePerMinute() {
            return sendRatePerMinute;
        }

        public void setSendRatePerMinute(int sendRatePerMinute) {
            this.sendRatePerMinute = sendRatePerMinute;
        }

        public MailServer getImap() {
            return imap;
        }

        public MailServer getSmtp() {
            return smtp;
        }
    }

    /** An IMAP or SMTP server. */
    public static class MailServer {
        /** Host name. */
        private String host;

        /** Port (IMAPS 993, SMTP submission 587, SMTPS 465). */
        private Integer port;

        /** IMPLICIT, STARTTLS, or NONE (local test servers only). */
        private String tls = "IMPLICIT";

        /** Login name. */
        private String username;

        /** Password (secret). */
        private String password;

        /** IMAP only: the folder to read. */
        private String folder = "INBOX";

        /** IMAP only: use IDLE when the server supports it. */
        private boolean idle = true;

        /** IMAP only: how often to poll when not idling. */
        private Duration pollInterval = Duration.ofSeconds(30);

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public Integer getPort() {
            return port;
        }

        public void setPort(Integer port) {
            this.port = port;
        }

        public String getTls() {
            return tls;
        }

        public void setTls(String tls) {
            this.tls = tls;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public String getFolder() {
            return folder;
        }

        public void setFolder(String folder) {
            this.folder = folder;
        }

        public boolean isIdle() {
            return idle;
        }

        public void setIdle(boolean idle) {
            this.idle = idle;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }
    }
}
