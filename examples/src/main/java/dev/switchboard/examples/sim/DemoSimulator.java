package dev.switchboard.examples.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.email.testing.MailFake;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.examples.ShopDirectory;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Customer;
import dev.switchboard.model.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Plays the demo's customers through the real channel code paths: Telegram updates in the documented Bot API format
 * queued on the {@link TelegramFake} (which the real Telegram channel polls), emails sent over SMTP to the
 * {@link MailFake} (which the real email channel reads over IMAP), and a signed-in visitor talking to the real
 * website chat endpoints over HTTP, and VK events in the Callback API's documented format pushed by the published
 * {@link VkFake} to the demo's own VK webhook over HTTP. Nothing reaches into the inbox from the side: the simulator only waits, by reading
 * the inbox, until each step has landed before it plays the next.
 *
 * <p>The scenario (see {@code docs/examples.md}):
 * <ol>
 *   <li>Анна asks in Telegram where her order is (dated yesterday on the first run).</li>
 *   <li>The shop's bot asks her to share her phone; she taps Telegram's contact button: a verified phone.</li>
 *   <li>She writes by email: the sender address is verified; the phone in her signature is only typed.</li>
 *   <li>She opens the chat on the shop, signed in (HMAC): the shop vouches for her phone and email, and the identity
 *       engine merges the three accounts into one customer by its verified-evidence rules.</li>
 *   <li>A different "Anna Petrova" writes in Telegram and types a phone: only a merge suggestion for the agent.</li>
 *   <li>Анна writes to the shop's VK community and types her phone: VK gives no verified contact, so the agent gets
 *       a merge suggestion with her customer, not a merge.</li>
 * </ol>
 *
 * <p>Then it plays a support team's day ({@link OperationsDay}): two simulated agents come online and routing hands
 * them the waiting conversations; new customers write by Telegram and by email (the email team's queue); an agent goes
 * offline and their unanswered conversations return to the queue after the grace period; a VK customer nobody answers
 * breaches the {@code demo-fast} SLA, an {@code SLA_BREACHED} event in the feed. Last ({@link CampaignAndErasure}),
 * two customers give their marketing consent, a campaign reaches only them, and a customer who asked to be forgotten
 * is erased.
 */
public final class DemoSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoSimulator.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(40);

    /** Anna's Telegram user id (and private chat id). */
    public static final long ANNA_TELEGRAM_ID = 100500L;
    /** The look-alike's Telegram user id. */
    public static final long LOOKALIKE_TELEGRAM_ID = 200777L;
    public static final String ANNA_PHONE = "+79161234567";
    /** Анна's VK user id (the VK fake's customer who allowed messages from the community). */
    public static final String ANNA_VK_ID = VkFake.KNOWN_RECIPIENT;

    /** The VK user id of the day's customer who breaches the demo-fast SLA on the first run. */
    public static final String DAY_VK_CUSTOMER = Long.toString(OperationsDay.SERGEI_VK_ID);

    /** Where the simulator plays: the fakes, the web server's base URL, the channels' ids. */
    public record Setup(Inbox inbox, TenantId tenant, TelegramFake telegram, ChannelId telegramChannel,
                        MailFake mail, ChannelId emailChannel, URI webBase, ChannelId webchatChannel,
                        Supplier<String> shopIdentity, ZoneId zone, Clock clock, VkFake vk, ChannelId vkChannel) {
        public Setup {
            Objects.requireNonNull(inbox, "inbox");
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(telegram, "telegram");
            Objects.requireNonNull(telegramChannel, "telegramChannel");
            Objects.requireNonNull(mail, "mail");
            Objects.requireNonNull(emailChannel, "emailChannel");
            Objects.requireNonNull(webBase, "webBase");
            Objects.requireNonNull(webchatChannel, "webchatChannel");
            Objects.requireNonNull(shopIdentity, "shopIdentity");
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(vk, "vk");
            Objects.requireNonNull(vkChannel, "vkChannel");
        }
    }

    /** One scenario step as the console shows it. */
    public record Step(String title, String channel, String explanation) {}

    /** Where a run stands. */
    public enum State { IDLE, RUNNING, FINISHED, FAILED }

    public static final List<Step> STEPS = List.of(
            new Step("Анна asks in Telegram", "telegram",
                    "\"Где мой заказ 1042?\" — a Bot API update the Telegram channel receives by long polling."),
            new Step("She shares her phone", "telegram",
                    "The bot asks; she taps Telegram's contact button. Her own number: verified evidence."),
            new Step("She writes by email", "email",
                    "Sent over SMTP, read over IMAP. The sender address is verified; the phone in the signature is not."),
            new Step("She opens the shop chat, signed in", "webchat",
                    "HMAC-signed login. The shop vouches for her phone and email: three accounts, one customer."),
            new Step("A look-alike writes", "telegram",
                    "Another \"Anna Petrova\" types a phone. Unverified: a merge suggestion for the agent, never a merge."),
            new Step("Анна writes in VK", "vk",
                    "A Callback API event the VK channel receives on the demo's webhook. She types her phone: VK "
                            + "vouches for nothing, so the agent gets a merge suggestion with her customer."),
            new Step("Olga and Dmitri come online", "routing",
                    "Two simulated agents set their presence: routing hands them the waiting conversations, least "
                            + "busy first, within each agent's capacity."),
            new Step("Борис asks in Telegram", "telegram",
                    "A new customer. The acknowledgement tells him when to expect an answer; routing assigns him, or "
                            + "he waits in the queue with his SLA countdown."),
            new Step("Елена writes by email", "email",
                    "Email waits in the email team's queue; Dmitri is on that team. Her first response is due "
                            + "within an office hour."),
            new Step("Dmitri goes offline", "routing",
                    "After the grace period his unanswered conversations return to the queue, keeping their wait."),
            new Step("Сергей writes in VK; nobody answers", "vk",
                    "VK has the demo-fast SLA policy: at risk (amber) at half the target, then breached (red), an "
                            + "SLA_BREACHED event in the feed."),
            new Step("Olga answers; customers rate her", "telegram",
                    "Olga answers Борис, and Ирина who writes in Telegram too, and resolves both: each gets a "
                            + "satisfaction survey with inline buttons. Борис taps 5; Ирина replies \"4 - спасибо, "
                            + "но хотелось бы быстрее\" (a rating with a comment). The reports page shows CSAT by "
                            + "agent."),
            new Step(CampaignAndErasure.FIRST_TITLE, "campaign",
                    "Анна subscribed on the shop's newsletter form, Борис pressed the bot's \"subscribe\" button: "
                            + "their consent is in the ledger with that evidence. A marketing campaign to every "
                            + "customer of the scenario reaches only those two; the rest are skipped for want of "
                            + "consent (see Campaigns)."),
            new Step("Виктор asks to be forgotten", "telegram",
                    "He asks in Telegram for his data to be deleted; the shop's data-protection officer erases him: "
                            + "messages, accounts and profile gone, the erasure recorded (see Campaigns · Erasures)."));

    private final Setup setup;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "demo-simulator");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    private State state = State.IDLE;
    private int completedSteps;
    private int runs;
    private Optional<String> error = Optional.empty();
    private Future<?> current;

    public DemoSimulator(Setup setup) {
        this.setup = Objects.requireNonNull(setup, "setup");
    }

    /**
     * Starts a run in the background.
     *
     * @return false when a run is already in progress
     */
    public boolean start() {
        synchronized (lock) {
            if (state == State.RUNNING) {
                return false;
            }
            state = State.RUNNING;
            completedSteps = 0;
            error = Optional.empty();
            boolean firstRun = runs == 0;
            runs++;
            current = runner.submit(() -> run(firstRun));
            return true;
        }
    }

    /** Waits for the current run to end; throws when it failed or did not end in time. */
    public void awaitFinished(Duration timeout) throws TimeoutException, InterruptedException {
        Future<?> f;
        synchronized (lock) {
            f = current;
        }
        if (f == null) {
            throw new IllegalStateException("the scenario was never started");
        }
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the scenario failed", e.getCause());
        }
        synchronized (lock) {
            if (state == State.FAILED) {
                throw new IllegalStateException("the scenario failed: " + error.orElse("?"));
            }
        }
    }

    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    /** The scenario and its progress, as JSON for the console ({@code GET /api/v1/demo/scenario}). */
    public ObjectNode describe() {
        ObjectNode out = JSON.objectNode();
        synchronized (lock) {
            out.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
            out.put("runs", runs);
            error.ifPresent(e -> out.put("error", e));
            ArrayNode steps = out.putArray("steps");
            for (int i = 0; i < STEPS.size(); i++) {
                Step s = STEPS.get(i);
                steps.addObject().put("title", s.title()).put("channel", s.channel())
                        .put("explanation", s.explanation()).put("done", i < completedSteps);
            }
        }
        return out;
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }

    // ---- the scenario ------------------------------------------------------------------------------------------

    private void run(boolean firstRun) {
        try {
            log.info("Simulator: playing the scenario{}", firstRun ? "" : " again");
            Instant now = setup.clock().instant();
            // On the first run Анна's first question is from yesterday afternoon, so the console shows the
            // cross-channel history over two days; replays happen now.
            Instant yesterday = firstRun
                    ? LocalDate.now(setup.zone()).minusDays(1).atTime(LocalTime.of(14, 2)).atZone(setup.zone()).toInstant()
                    : now;

            AccountKey annaTelegram = new AccountKey(setup.tenant(), setup.telegramChannel(),
                    Long.toString(ANNA_TELEGRAM_ID));
            int before = botAsksSeen(ANNA_TELEGRAM_ID);
            setup.telegram().pushUpdate(textUpdate(ANNA_TELEGRAM_ID, "Анна", "Петрова", "anna_petrova", "ru",
                    "Здравствуйте! Где мой заказ 1042? Обещали доставить вчера, но так и не привезли.", yesterday));
            await("Анна's Telegram message is stored", () -> setup.inbox().customerByAccount(annaTelegram).isPresent());
            step(1);

            await("the bot asks Анна for her phone", () -> botAsksSeen(ANNA_TELEGRAM_ID) > before
                    || hasVerifiedPhone(annaTelegram));
            setup.telegram().pushUpdate(contactUpdate(ANNA_TELEGRAM_ID, "Анна", "Петрова", "anna_petrova",
                    "79161234567", setup.clock().instant()));
            await("Анна's shared phone is verified", () -> hasVerifiedPhone(annaTelegram));
            step(2);

            AccountKey annaEmail = new AccountKey(setup.tenant(), setup.emailChannel(), ShopDirectory.ANNA.email());
            setup.mail().deliverMail(ShopDirectory.ANNA.email(), ShopDirectory.ANNA.name(), "Заказ 1042",
                    "Добрый день!\n\nПишу ещё раз по заказу 1042: в Telegram мне пока не ответили. "
                            + "Курьер так и не приехал. Можно доставить сегодня после 18:00?\n\n"
                            + "Спасибо,\nАнна Петрова\nтел. +7 916 123-45-67",
                    setup.clock().instant(), Map.of());
            await("Анна's email is stored", () -> setup.inbox().customerByAccount(annaEmail).isPresent());
            step(3);

            String session = openChat(ShopDirectory.ANNA.id(), setup.shopIdentity().get(), ShopDirectory.ANNA.name());
            sendChat(session, "Я сейчас на сайте: заказ 1042 «в пути». Курьер сможет позвонить за час до приезда?");
            await("one customer holds Анна's Telegram, email and chat accounts", () ->
                    setup.inbox().customerByAccount(annaTelegram).map(c -> distinctChannels(c) >= 3).orElse(false));
            step(4);

            AccountKey lookalike = new AccountKey(setup.tenant(), setup.telegramChannel(),
                    Long.toString(LOOKALIKE_TELEGRAM_ID));
            setup.telegram().pushUpdate(textUpdate(LOOKALIKE_TELEGRAM_ID, "Anna", "Petrova", null, "en",
                    "Hi! This is Anna Petrova, my number is +7 916 123-45-67. Can I return the teapot from order 1187?",
                    setup.clock().instant()));
            await("the look-alike's message is stored", () -> setup.inbox().customerByAccount(lookalike).isPresent());
            step(5);

            AccountKey annaVk = new AccountKey(setup.tenant(), setup.vkChannel(), ANNA_VK_ID);
            setup.vk().deliverText(ANNA_VK_ID, "", "Добрый вечер! Это Анна Петрова, пишу из ВКонтакте. "
                    + "Мой телефон +7 916 123-45-67. Заказ 1042 так и не привезли — можно завтра утром?");
            await("Анна's VK message is stored", () -> setup.inbox().customerByAccount(annaVk).isPresent());
            step(6);

            new OperationsDay(setup, this).play(runIndex());
            new CampaignAndErasure(setup, this).play(runIndex());
            synchronized (lock) {
                state = State.FINISHED;
            }
            log.info("Simulator: scenario finished: one customer, three linked accounts, suggestions to decide, "
                    + "and a day of routing with a breach");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        } catch (RuntimeException | IOException | TimeoutException e) {
            log.warn("Simulator: scenario failed: {}", e.getMessage());
            fail(e.getMessage());
        }
    }

    /** Which run this is (0 for the first): the day's customers differ per run, so a replay plays new ones. */
    private int runIndex() {
        synchronized (lock) {
            return runs - 1;
        }
    }

    void step(int done) {
        synchronized (lock) {
            completedSteps = done;
        }
        log.info("Simulator: step {}/{} done: {}", done, STEPS.size(), STEPS.get(done - 1).title());
    }

    private void fail(String message) {
        synchronized (lock) {
            state = State.FAILED;
            error = Optional.ofNullable(message);
        }
    }

    private boolean hasVerifiedPhone(AccountKey account) {
        Optional<Customer> c = setup.inbox().customerByAccount(account);
        return c.isPresent() && c.get().contacts().stream()
                .anyMatch(k -> k.verified() && k.point().kind() == ContactPoint.Kind.PHONE);
    }

    private static long distinctChannels(Customer c) {
        return c.accounts().stream().map(a -> a.key().channel()).distinct().count();
    }

    /** How many messages with a share-phone keyboard the bot sent to this chat so far. */
    private int botAsksSeen(long chatId) {
        int n = 0;
        for (TelegramFake.ApiCall call : setup.telegram().calls("sendMessage")) {
            if (call.param("chat_id").equals(Long.toString(chatId))
                    && call.replyMarkup().map(m -> m.toString().contains("request_contact")).orElse(false)) {
                n++;
            }
        }
        return n;
    }

    void await(String what, BooleanSupplier condition) throws InterruptedException, TimeoutException {
        await(what, condition, STEP_TIMEOUT);
    }

    /** Polls {@code condition} until it holds; throws after {@code timeout}. */
    void await(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException,
            TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("timed out waiting until " + what);
            }
            // Application code polling the inbox between steps, not test synchronisation.
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    // ---- Telegram updates in the Bot API's documented format ---------------------------------------------------

    private ObjectNode user(long id, String first, String last, String username, String lang) {
        ObjectNode u = JSON.objectNode();
        u.put("id", id);
        u.put("is_bot", false);
        u.put("first_name", first);
        if (last != null) {
            u.put("last_name", last);
        }
        if (username != null) {
            u.put("username", username);
        }
        if (lang != null) {
            u.put("language_code", lang);
        }
        return u;
    }

    private ObjectNode messageShell(long userId, String first, String last, String username, String lang, Instant at) {
        ObjectNode message = JSON.objectNode();
        message.put("message_id", setup.telegram().nextMessageId(userId));
        message.set("from", user(userId, first, last, username, lang));
        ObjectNode chat = message.putObject("chat");
        chat.put("id", userId);
        chat.put("first_name", first);
        if (last != null) {
            chat.put("last_name", last);
        }
        if (username != null) {
            chat.put("username", username);
        }
        chat.put("type", "private");
        message.put("date", at.getEpochSecond());
        return message;
    }

    ObjectNode textUpdate(long userId, String first, String last, String username, String lang, String text,
                          Instant at) {
        ObjectNode message = messageShell(userId, first, last, username, lang, at);
        message.put("text", text);
        ObjectNode update = JSON.objectNode();
        update.set("message", message);
        return update;
    }

    /** A contact shared with the reply keyboard's request_contact button: the sender's own, so user_id == from.id. */
    ObjectNode contactUpdate(long userId, String first, String last, String username, String phone, Instant at) {
        ObjectNode message = messageShell(userId, first, last, username, "ru", at);
        ObjectNode contact = message.putObject("contact");
        contact.put("phone_number", phone);
        contact.put("first_name", first);
        if (last != null) {
            contact.put("last_name", last);
        }
        contact.put("user_id", userId);
        ObjectNode update = JSON.objectNode();
        update.set("message", message);
        return update;
    }

    // ---- the website chat, as the widget talks to it ------------------------------------------------------------

    private String openChat(String userId, String identityToken, String name)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.objectNode();
        body.putObject("user").put("id", userId).put("token", identityToken);
        body.put("name", name);
        body.put("lang", "ru");
        JsonNode res = post("/webchat/session", Optional.empty(), body);
        if (!res.path("verified").asBoolean(false)) {
            throw new IllegalStateException("the chat did not accept the shop's signed login: " + res);
        }
        return res.path("token").asText();
    }

    private void sendChat(String token, String text) throws IOException, InterruptedException {
        ObjectNode frame = JSON.objectNode();
        frame.put("type", "message");
        frame.put("clientId", "sim-" + UUID.randomUUID());
        frame.put("text", text);
        post("/webchat/messages", Optional.of(token), frame);
    }

    private JsonNode post(String path, Optional<String> token, ObjectNode body) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(setup.webBase().resolve(path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Origin", setup.webBase().toString().replaceAll("/$", ""))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        token.ifPresent(t -> req.header("Authorization", "Bearer " + t));
        HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + " answered " + res.statusCode() + ": " + res.body());
        }
        return res.body().isEmpty() ? JSON.objectNode() : mapper.readTree(res.body());
    }

    /** For the log. */
    @Override
    public String toString() {
        return "DemoSimulator[" + state() + "]";
    }
}
