package dev.switchboard.examples.sim;

import dev.switchboard.content.Content;
import dev.switchboard.examples.DemoOperations;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.routing.Assignment;
import dev.switchboard.inbox.routing.Presence;
import dev.switchboard.inbox.routing.QueuedConversation;
import dev.switchboard.inbox.routing.Routing;
import dev.switchboard.inbox.sla.SlaKind;
import dev.switchboard.inbox.sla.SlaPolicy;
import dev.switchboard.inbox.survey.Survey;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Direction;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The simulator's support day, played after the identity scenario (steps 7-12 of {@link DemoSimulator#STEPS}):
 * the simulated agents' presence goes through {@code TenantInbox.routing()} as an agent's console would set it, and
 * customers write through the real channel paths (the Telegram fake's updates, SMTP into the local mailbox, VK
 * Callback API events). Each step waits, by reading the inbox, until routing or the SLA timer has done its part. The
 * day's customers are new on every run (their ids depend on the run), so a replay plays the day again.
 */
final class OperationsDay {
    private static final Logger log = LoggerFactory.getLogger(OperationsDay.class);
    /** The first step of the day in {@link DemoSimulator#STEPS} (1-based). */
    static final int FIRST_STEP = 7;

    /** Борис's Telegram user id on the first run (later runs add the run's index). */
    static final long BORIS_TELEGRAM_ID = 300_100L;
    /** Сергей's VK user id on the first run (later runs add the run's index). */
    static final long SERGEI_VK_ID = 424_242_100L;
    /** The rating Борис gives Olga's answer (a Telegram button). */
    static final int BORIS_RATING = 5;
    /** Ирина's Telegram user id on the first run (later runs add the run's index). */
    static final long IRINA_TELEGRAM_ID = 300_200L;
    /** The rating Ирина gives Olga's answer (a text reply with a comment). */
    static final int IRINA_RATING = 4;

    private final DemoSimulator.Setup setup;
    private final DemoSimulator sim;
    private final Routing routing;

    OperationsDay(DemoSimulator.Setup setup, DemoSimulator sim) {
        this.setup = setup;
        this.sim = sim;
        this.routing = setup.inbox().forTenant(setup.tenant()).routing();
    }

    void play(int run) throws InterruptedException, TimeoutException {
        TenantId tenant = setup.tenant();

        routing.setPresence(DemoOperations.OLGA, Presence.ONLINE);
        routing.setPresence(DemoOperations.DMITRI, Presence.ONLINE);
        sim.await("Olga and Dmitri are online", () -> online(DemoOperations.OLGA) && online(DemoOperations.DMITRI));
        sim.step(FIRST_STEP);

        long boris = BORIS_TELEGRAM_ID + run;
        AccountKey borisTelegram = new AccountKey(tenant, setup.telegramChannel(), Long.toString(boris));
        setup.telegram().pushUpdate(sim.textUpdate(boris, "Борис", "Смирнов", null, "ru",
                "Добрый день! Хочу заказать самовар на 5 литров, он есть в наличии?", setup.clock().instant()));
        sim.await("Борис is assigned or queued", () -> routed(borisTelegram));
        sim.step(FIRST_STEP + 1);

        String elena = "elena.sokolova+" + run + "@example.ru";
        AccountKey elenaEmail = new AccountKey(tenant, setup.emailChannel(), elena);
        setup.mail().deliverMail(elena, "Елена Соколова", "Гарантия на самовар",
                "Здравствуйте!\n\nКакая гарантия на электрические самовары и где её оформить?\n\nЕлена",
                setup.clock().instant(), Map.of());
        sim.await("Елена's email is assigned or queued", () -> routed(elenaEmail));
        sim.step(FIRST_STEP + 2);

        Set<ConversationId> unanswered = routing.conversationsOf(DemoOperations.DMITRI).stream()
                .map(Assignment::conversation).filter(this::customerWroteLast).collect(Collectors.toSet());
        routing.setPresence(DemoOperations.DMITRI, Presence.OFFLINE);
        sim.await("Dmitri's unanswered conversations return to the queue after the grace period", () ->
                        routing.conversationsOf(DemoOperations.DMITRI).stream().map(Assignment::conversation)
                                .noneMatch(unanswered::contains),
                DemoSimulator.STEP_TIMEOUT.plus(routing.settings().offlineGrace()));
        sim.step(FIRST_STEP + 3);

        long afterSeq = setup.inbox().lastEventSeq();
        String sergei = Long.toString(SERGEI_VK_ID + run);
        AccountKey sergeiVk = new AccountKey(tenant, setup.vkChannel(), sergei);
        setup.vk().deliverText(sergei, "Сергей", "Здравствуйте! Самовар пришёл с вмятиной, что делать?");
        sim.await("Сергей's VK message is stored", () -> setup.inbox().customerByAccount(sergeiVk).isPresent());
        CustomerId sergeiId = setup.inbox().customerByAccount(sergeiVk).orElseThrow().id();
        sim.await("Сергей's first response breaches the " + DemoOperations.FAST_POLICY + " SLA",
                () -> breached(sergeiId, afterSeq), DemoSimulator.STEP_TIMEOUT.plus(fastTarget()));
        sim.step(FIRST_STEP + 4);

        // Olga answers and resolves both; the surveys the resolutions send are answered: fixed ratings, so the
        // reports page's CSAT chart has the same numbers on every run
        Survey borisSurvey = answerAndResolve(borisTelegram, "Да, есть! Самовар на 5 литров в наличии, оформить?");
        setup.telegram().pushCallback(boris, "Борис", borisSurvey.payload(BORIS_RATING));
        sim.await("Борис rates the answer", () -> rated(borisSurvey));
        long irina = IRINA_TELEGRAM_ID + run;
        AccountKey irinaTelegram = new AccountKey(tenant, setup.telegramChannel(), Long.toString(irina));
        setup.telegram().pushUpdate(sim.textUpdate(irina, "Ирина", "Волкова", null, "ru",
                "Здравствуйте! Можно ли почистить самовар от накипи лимонной кислотой?", setup.clock().instant()));
        sim.await("Ирина is assigned or queued", () -> routed(irinaTelegram));
        Survey irinaSurvey = answerAndResolve(irinaTelegram, "Да, можно: две ложки на полный самовар, вскипятить.");
        setup.telegram().pushUpdate(sim.textUpdate(irina, "Ирина", "Волкова", null, "ru",
                IRINA_RATING + " - спасибо, но хотелось бы быстрее", setup.clock().instant()));
        sim.await("Ирина rates the answer", () -> rated(irinaSurvey));
        sim.step(FIRST_STEP + 5);
        log.info("Simulator: the day is over: {} waiting, {} breached", routing.waitingCount(),
                setup.inbox().forTenant(tenant).sla().breached(100).size());
    }

    /** Olga answers the customer's open conversation and resolves it; returns the survey the resolution sent. */
    private Survey answerAndResolve(AccountKey account, String answer) throws InterruptedException, TimeoutException {
        TenantInbox desk = setup.inbox().forTenant(setup.tenant());
        CustomerId customer = setup.inbox().customerByAccount(account).orElseThrow().id();
        Conversation open = setup.inbox().conversations(dev.switchboard.store.ConversationQuery.builder(
                        setup.tenant()).status(dev.switchboard.model.ConversationStatus.OPEN).limit(200).build())
                .items().stream().filter(c -> c.customer().equals(customer)).findFirst().orElseThrow();
        desk.reply(open.id(), Content.text(answer), ReplyOptions.defaults().agent(DemoOperations.OLGA));
        desk.resolve(open.id());
        sim.await("the survey of " + account.platformUserId() + " is sent",
                () -> !desk.surveys().ofConversation(open.id()).isEmpty());
        return desk.surveys().ofConversation(open.id()).get(0);
    }

    private boolean rated(Survey survey) {
        return setup.inbox().forTenant(setup.tenant()).surveys().survey(survey.id()).map(Survey::rated)
                .orElse(false);
    }

    private boolean online(String agent) {
        return routing.agent(agent).map(a -> a.presence() == Presence.ONLINE).orElse(false);
    }

    /** Whether the customer's open conversation has an assignee or waits in a queue. */
    private boolean routed(AccountKey account) {
        Optional<CustomerId> customer = setup.inbox().customerByAccount(account).map(c -> c.id());
        if (customer.isEmpty()) {
            return false;
        }
        Optional<Conversation> open = setup.inbox().conversations(dev.switchboard.store.ConversationQuery.builder(
                        setup.tenant()).status(dev.switchboard.model.ConversationStatus.OPEN).limit(200).build())
                .items().stream().filter(c -> c.customer().equals(customer.get())).findFirst();
        if (open.isEmpty()) {
            return false;
        }
        if (open.get().assignee().isPresent()) {
            return true;
        }
        List<QueuedConversation> queue = routing.queue(200);
        return queue.stream().anyMatch(q -> q.conversation().equals(open.get().id()));
    }

    /**
     * Whether the customer still waits for a person: their message came after every agent's reply (automatic
     * messages, the acknowledgement and the shop's bot, answer nobody).
     */
    private boolean customerWroteLast(ConversationId conversation) {
        List<Message> messages = setup.inbox().messages(setup.tenant(), conversation);
        return messages.stream().filter(m -> m.direction() == Direction.INBOUND
                        || m.agent().filter(a -> !a.endsWith("-bot")).isPresent())
                .reduce((a, b) -> b).map(m -> m.direction() == Direction.INBOUND).orElse(false);
    }

    private boolean breached(CustomerId customer, long afterSeq) {
        long cursor = afterSeq;
        for (int page = 0; page < 100; page++) {
            List<InboxEvent> events = setup.inbox().events(setup.tenant(), cursor, 500);
            for (InboxEvent e : events) {
                cursor = Math.max(cursor, e.seq());
                if (e.type() == InboxEvent.Type.SLA_BREACHED && e.customer().filter(customer::equals).isPresent()) {
                    return true;
                }
            }
            if (events.size() < 500) {
                return false;
            }
        }
        return false;
    }

    private Duration fastTarget() {
        return setup.inbox().forTenant(setup.tenant()).sla().policies().stream()
                .filter(p -> p.name().equals(DemoOperations.FAST_POLICY)).findFirst()
                .map(SlaPolicy::targets).map(t -> t.getOrDefault(SlaKind.FIRST_RESPONSE, Duration.ZERO))
                .orElse(Duration.ZERO);
    }

    @Override
    public String toString() {
        return "OperationsDay[" + setup.tenant() + "]";
    }
}
