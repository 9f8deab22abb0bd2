package dev.switchboard.examples.sim;

import dev.switchboard.examples.DemoOperations;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.campaign.Audience;
import dev.switchboard.inbox.campaign.Campaign;
import dev.switchboard.inbox.campaign.CampaignId;
import dev.switchboard.inbox.campaign.CampaignProgress;
import dev.switchboard.inbox.campaign.CampaignState;
import dev.switchboard.inbox.campaign.RecipientStatus;
import dev.switchboard.inbox.consent.ConsentChange;
import dev.switchboard.inbox.consent.ConsentEvidence;
import dev.switchboard.inbox.privacy.ErasureRecord;
import dev.switchboard.content.Content;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.Consent;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The simulator's last two steps ({@link #FIRST_TITLE} and the erasure after it in {@link DemoSimulator#STEPS}),
 * played after the support day: the shop
 * records the marketing consent two customers gave (Анна on the shop's newsletter form, Борис with a "subscribe"
 * button), launches a campaign for {@code marketing} to every customer of the scenario and waits until it completed:
 * only those two get it, the others are skipped for want of consent. Then Виктор asks in Telegram for his data to be
 * deleted and the shop's data-protection officer erases him. The same on every run: the campaign and Виктор are new
 * per run, the audience is fixed by the run, nothing is random.
 */
final class CampaignAndErasure {
    private static final Logger log = LoggerFactory.getLogger(CampaignAndErasure.class);
    /** The title of the first of these steps in {@link DemoSimulator#STEPS}. */
    static final String FIRST_TITLE = "A campaign to those who opted in";
    /** The first of these steps in {@link DemoSimulator#STEPS} (1-based), found by its title. */
    static final int FIRST_STEP = firstStep();
    /** Виктор's Telegram user id on the first run (later runs add the run's index). */
    static final long VIKTOR_TELEGRAM_ID = 500_100L;
    /** Who erases Виктор: the agent acting as the shop's data-protection officer. */
    static final String DPO = DemoOperations.OLGA;
    static final String NEWS_TEXT = "Весенняя распродажа: самовары −20% до воскресенья!";

    private final DemoSimulator.Setup setup;
    private final DemoSimulator sim;
    private final TenantInbox shop;

    CampaignAndErasure(DemoSimulator.Setup setup, DemoSimulator sim) {
        this.setup = setup;
        this.sim = sim;
        this.shop = setup.inbox().forTenant(setup.tenant());
    }

    private static int firstStep() {
        for (int i = 0; i < DemoSimulator.STEPS.size(); i++) {
            if (DemoSimulator.STEPS.get(i).title().equals(FIRST_TITLE)) {
                return i + 1;
            }
        }
        throw new IllegalStateException("DemoSimulator.STEPS has no step \"" + FIRST_TITLE + "\"");
    }

    /** The campaign's id on run {@code run} (0 for the first). */
    static CampaignId campaignOf(int run) {
        return CampaignId.of("spring-news-" + (run + 1));
    }

    void play(int run) throws InterruptedException, TimeoutException {
        TenantId tenant = setup.tenant();
        CustomerId anna = customer(new AccountKey(tenant, setup.telegramChannel(),
                Long.toString(DemoSimulator.ANNA_TELEGRAM_ID)));
        CustomerId boris = customer(new AccountKey(tenant, setup.telegramChannel(),
                Long.toString(OperationsDay.BORIS_TELEGRAM_ID + run)));
        // Анна ticked the newsletter box on the shop's site (form and consent-text version kept as evidence);
        // Борис pressed the bot's "subscribe to news" button
        shop.consent().record(ConsentChange.grant(anna, Consent.MARKETING).source("web-form")
                .evidence(ConsentEvidence.webForm("shop-newsletter", "2026-01")).build());
        shop.consent().record(ConsentChange.grant(boris, Consent.MARKETING).source("button")
                .evidence(ConsentEvidence.button("subscribe:news")).build());
        List<CustomerId> audience = new ArrayList<>(List.of(anna, boris));
        for (AccountKey other : List.of(
                new AccountKey(tenant, setup.telegramChannel(), Long.toString(DemoSimulator.LOOKALIKE_TELEGRAM_ID)),
                new AccountKey(tenant, setup.vkChannel(), DemoSimulator.ANNA_VK_ID),
                new AccountKey(tenant, setup.emailChannel(), "elena.sokolova+" + run + "@example.ru"),
                new AccountKey(tenant, setup.vkChannel(), Long.toString(OperationsDay.SERGEI_VK_ID + run)))) {
            // an agent may have erased one of them in the console before a replay: the audience is who is left
            setup.inbox().customerByAccount(other).ifPresent(c -> audience.add(c.id()));
        }
        CampaignId id = campaignOf(run);
        shop.campaigns().create(Campaign.builder(id).content(Content.text(NEWS_TEXT)).subject("Весенняя распродажа")
                .purpose(Consent.MARKETING).audience(Audience.customers(audience)).build());
        shop.campaigns().start(id);
        sim.await("campaign " + id.value() + " completes", () -> shop.campaigns().progress(id).state()
                == CampaignState.COMPLETED);
        CampaignProgress p = shop.campaigns().progress(id);
        log.info("Simulator: campaign {} completed: {} sent, {} skipped", id.value(), p.count(RecipientStatus.SENT),
                p.count(RecipientStatus.SKIPPED));
        sim.step(FIRST_STEP);

        long viktor = VIKTOR_TELEGRAM_ID + run;
        AccountKey viktorTelegram = new AccountKey(tenant, setup.telegramChannel(), Long.toString(viktor));
        setup.telegram().pushUpdate(sim.textUpdate(viktor, "Виктор", "Орлов", null, "ru",
                "Здравствуйте. Я больше не пользуюсь вашим магазином: удалите, пожалуйста, все мои данные.",
                setup.clock().instant()));
        sim.await("Виктор's request is stored", () -> setup.inbox().customerByAccount(viktorTelegram).isPresent());
        CustomerId viktorId = setup.inbox().customerByAccount(viktorTelegram).orElseThrow().id();
        ErasureRecord record = shop.privacy().erase(viktorId, DPO);
        sim.await("Виктор's erasure is complete", () -> shop.privacy().erasure(viktorId)
                .map(ErasureRecord::isComplete).orElse(false));
        log.info("Simulator: customer {} erased by {}: {} messages deleted", viktorId, DPO, record.messages());
        sim.step(FIRST_STEP + 1);
    }

    private CustomerId customer(AccountKey account) {
        Optional<CustomerId> id = setup.inbox().customerByAccount(account).map(c -> c.id());
        return id.orElseThrow(() -> new IllegalStateException("the scenario's customer " + account
                + " is not stored"));
    }

    @Override
    public String toString() {
        return "CampaignAndErasure[" + setup.tenant() + "]";
    }
}
