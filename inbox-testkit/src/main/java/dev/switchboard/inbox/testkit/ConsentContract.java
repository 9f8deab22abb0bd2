package dev.switchboard.inbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.content.Content;
import dev.switchboard.identity.MergeRecord;
import dev.switchboard.inbox.ContactNotAllowedException;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.inbox.consent.ConsentChange;
import dev.switchboard.inbox.consent.ConsentEntry;
import dev.switchboard.inbox.consent.ConsentEvidence;
import dev.switchboard.inbox.consent.Consents;
import dev.switchboard.inbox.consent.UnsubscribeKeywords;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Consent;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Direction;
import dev.switchboard.model.Message;
import dev.switchboard.model.QuietHours;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Contact preferences and the consent ledger, runnable against any {@link InboxStore}: preferred routing and a
 * forbidden channel refused with its reason, the unsubscribe keyword on a messenger with its confirmation, platform
 * permissions as ledger entries, the ledger being append-only, merges (a withdrawal anywhere wins) and unmerges (each
 * side gets exactly its own entries back), stored preferences, bad input and tenant isolation. A store vendor extends
 * it and implements {@link #newStore()}. Time is a {@link ManualClock} moved between decisions, so every entry has
 * its own instant. Test methods are public so subclasses in other packages inherit them.
 */
public abstract class ConsentContract {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    private static final TenantId OTHER = TenantId.of("consent-other");

    /** A fresh, empty store; closed after the test. */
    protected abstract InboxStore newStore();

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    protected final ManualClock clock = new ManualClock(START);
    protected FakeChannel telegram;
    protected FakeChannel vk;
    protected FakeChannel email;
    protected FakeChannel otherTelegram;
    protected Inbox inbox;
    protected Consents consents;
    protected InboxStore store;

    @AfterEach
    void closeEverything() throws Exception {
        Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    /** A started inbox over a fresh store with Telegram, VK and email fakes, and a Telegram fake in another tenant. */
    protected void start() {
        store = newStore();
        cleanup.add(store);
        telegram = FakeChannel.of("tg", ChannelType.TELEGRAM);
        vk = FakeChannel.of("vk", ChannelType.VK);
        email = FakeChannel.of("mail", ChannelType.EMAIL);
        otherTelegram = FakeChannel.of(OTHER, "tg", ChannelType.TELEGRAM, telegram.capabilities());
        inbox = Inbox.builder().store(store).clock(clock).channel(telegram).channel(vk).channel(email)
                .channel(otherTelegram).reopenWindow(Duration.ZERO).eventPollInterval(Duration.ofMillis(50)).build();
        cleanup.add(inbox);
        inbox.start();
        consents = inbox.forTenant(TenantId.DEFAULT).consent();
    }

    private static void done(CompletionStage<?> stage) throws Exception {
        stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The customer {@code user} of {@code channel} becomes by writing {@code text}. */
    private Customer writes(FakeChannel channel, String user, String text) throws Exception {
        done(channel.deliver(channel.text(user, text)));
        return inbox.customerByAccount(channel.account(user).key()).orElseThrow();
    }

    private Conversation conversationOf(CustomerId customer) {
        Customer c = inbox.customer(customer).orElseThrow();
        return inbox.conversations(ConversationQuery.builder(TenantId.DEFAULT).limit(1000).build()).items().stream()
                .filter(x -> x.customer().equals(c.id())).findFirst().orElseThrow();
    }

    private Customer customer(CustomerId id) {
        return inbox.customer(id).orElseThrow();
    }

    private ConsentEntry record(ConsentChange.Builder change) {
        clock.advance(Duration.ofMinutes(1));
        return consents.record(change.build());
    }

    private List<String> ids(List<ConsentEntry> entries) {
        return entries.stream().map(ConsentEntry::id).toList();
    }

    // ---- preferences and routing --------------------------------------------------------------------------------

    @Test
    public void aPreferredReplyGoesThroughThePreferredAvailableChannelAndNeverAForbiddenOne() throws Exception {
        start();
        Customer onTelegram = writes(telegram, "ann", "hello");
        Customer onVk = writes(vk, "ann-vk", "hi again");
        MergeRecord merged = inbox.merge(TenantId.DEFAULT, onTelegram.id(), onVk.id(), "agent:ann", "same person");
        CustomerId ann = merged.survivor();
        Conversation conversation = conversationOf(ann);
        // email is preferred but she has no email account: the next preferred available one (VK) is used
        inbox.updatePreferences(TenantId.DEFAULT, ann, p -> p.withPreferredChannels(ChannelType.EMAIL,
                ChannelType.VK));
        Message preferred = inbox.reply(conversation.id(), Content.text("via preferred"),
                ReplyOptions.defaults().viaPreferredChannel());
        assertThat(preferred.channel()).isEqualTo(vk.id());
        assertThat(preferred.account()).isEqualTo(vk.account("ann-vk").key());

        // VK forbidden: the preferred reply skips it, a reply naming it is refused with the reason
        inbox.updatePreferences(TenantId.DEFAULT, ann, p -> p.withDoNotContact(ChannelType.VK));
        Message fallback = inbox.reply(conversation.id(), Content.text("via fallback"),
                ReplyOptions.defaults().viaPreferredChannel());
        assertThat(fallback.channel()).isNotEqualTo(vk.id());
        int before = inbox.messages(conversation.id()).size();
        assertThatThrownBy(() -> inbox.reply(conversation.id(), Content.text("named"),
                ReplyOptions.defaults().channel(vk.id()).viaPreferredChannel()))
                .isInstanceOfSatisfying(ContactNotAllowedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ContactNotAllowedException.Reason.DO_NOT_CONTACT);
                    assertThat(e.channel()).isEqualTo(vk.id());
                    assertThat(e.getMessage()).contains("asked not to be contacted").contains("vk");
                });
        assertThat(inbox.messages(conversation.id())).hasSize(before);
    }

    @Test
    public void preferencesAreStoredWithQuietHoursLanguageAndFallbacksAndChangesAreEvents() throws Exception {
        start();
        Customer ann = writes(telegram, "ann", "hello");
        QuietHours nights = new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0), ZoneId.of("Europe/Moscow"));
        inbox.updatePreferences(TenantId.DEFAULT, ann.id(), p -> p.withPreferredChannels(ChannelType.TELEGRAM,
                ChannelType.EMAIL).withQuietHours(nights).withLanguage("ru"));
        Customer stored = customer(ann.id());
        assertThat(stored.preferences().preferredChannels()).containsExactly(ChannelType.TELEGRAM, ChannelType.EMAIL);
        assertThat(stored.preferences().quietHours()).contains(nights);
        assertThat(stored.preferences().language()).contains("ru");
        // 20:00 UTC is 23:00 in Moscow: quiet; 06:00 UTC is 09:00: not
        assertThat(stored.preferences().quietAt(Instant.parse("2026-03-02T20:00:00Z"))).isTrue();
        assertThat(stored.preferences().quietAt(Instant.parse("2026-03-02T06:00:00Z"))).isFalse();
        assertThat(inbox.events(0, 1000)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(InboxEvent.Type.ACCOUNT_UPDATED);
            assertThat(e.attribute(InboxEvent.Attribute.KIND)).hasValue("PREFERENCES");
            assertThat(e.customer()).contains(ann.id());
        });
    }

    // ---- keyword capture ----------------------------------------------------------------------------------------

    @Test
    public void stopOnAMessengerWithdrawsMarketingThereWithTheMessageAsEvidenceAndIsConfirmed() throws Exception {
        start();
        Customer ann = writes(telegram, "ann", "hello");
        record(ConsentChange.grant(ann.id(), Consent.MARKETING).evidence(ConsentEvidence.webForm("signup", "v3")));
        assertThat(consents.hasConsent(ann.id(), Consent.MARKETING, ChannelType.TELEGRAM)).isTrue();

        clock.advance(Duration.ofMinutes(1));
        writes(telegram, "ann", "  STOP! ");
        Conversation conversation = conversationOf(ann.id());
        Message stop = inbox.messages(conversation.id()).stream()
                .filter(m -> m.direction() == Direction.INBOUND && m.content().plainText().contains("STOP"))
                .findFirst().orElseThrow();
        ConsentEntry withdrawal = consents.inForce(ann.id(), Consent.MARKETING, ChannelType.TELEGRAM).orElseThrow();
        assertThat(withdrawal.granted()).isFalse();
        assertThat(withdrawal.source()).isEqualTo("keyword");
        assertThat(withdrawal.account()).contains(telegram.account("ann").key());
        assertThat(withdrawal.channelType()).contains(ChannelType.TELEGRAM);
        assertThat(withdrawal.evidence()).isEqualTo(ConsentEvidence.message(stop.id()));
        // only Telegram: the general grant still covers email; the customer record says the same
        assertThat(consents.hasConsent(ann.id(), Consent.MARKETING, ChannelType.EMAIL)).isTrue();
        Customer now = customer(ann.id());
        assertThat(now.preferences().hasConsent(Consent.MARKETING, ChannelType.TELEGRAM)).isFalse();
        assertThat(now.preferences().hasConsent(Consent.MARKETING, ChannelType.EMAIL)).isTrue();
        // the confirmation is queued through the outbox, in the conversation, on Telegram
        assertThat(inbox.messages(conversation.id())).anySatisfy(m -> {
            assertThat(m.direction()).isEqualTo(Direction.OUTBOUND);
            assertThat(m.channel()).isEqualTo(telegram.id());
            assertThat(m.content().plainText()).isEqualTo(UnsubscribeKeywords.defaults().confirmation());
        });
        assertThat(inbox.events(0, 1000)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(InboxEvent.Type.CONSENT_RECORDED);
            assertThat(e.attribute(InboxEvent.Attribute.PURPOSE)).hasValue(Consent.MARKETING);
            assertThat(e.attribute(InboxEvent.Attribute.GRANTED)).hasValue("false");
            assertThat(e.attribute(InboxEvent.Attribute.CHANNEL)).hasValue("tg");
            assertThat(e.attribute(InboxEvent.Attribute.SOURCE)).hasValue("keyword");
        });
    }

    @Test
    public void onlyAWholeMessageKeywordOnAListenedChannelMatchesAndTheRuleIsPerTenant() throws Exception {
        start();
        Customer ann = writes(telegram, "ann", "please stop the delivery");
        Customer bob = writes(email, "bob@example.com", "stop");
        assertThat(consents.history(ann.id())).isEmpty();
        assertThat(consents.history(bob.id())).isEmpty();

        consents.configureKeywords(UnsubscribeKeywords.builder().keywords("Хватит").confirmation("Готово").build());
        writes(telegram, "ann", "stop");
        assertThat(consents.history(ann.id())).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        writes(telegram, "ann", "ХВАТИТ");
        assertThat(consents.history(ann.id())).singleElement().satisfies(e -> assertThat(e.granted()).isFalse());
        // the other tenant keeps the defaults
        assertThat(inbox.forTenant(OTHER).consent().keywords()).isEqualTo(UnsubscribeKeywords.defaults());
        assertThatThrownBy(() -> UnsubscribeKeywords.builder().keywords().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keywords");
    }

    // ---- platform permissions -----------------------------------------------------------------------------------

    @Test
    public void platformPermissionChangesAreLedgerEntriesWithTheEventAsEvidence() throws Exception {
        start();
        Customer ann = writes(vk, "ann-vk", "hello");
        clock.advance(Duration.ofMinutes(1));
        done(vk.deliver(new InboundEvent.AccountUpdate("vk-deny-1", vk.account("ann-vk"), clock.instant(),
                InboundEvent.AccountUpdate.Kind.UNSUBSCRIBED, List.of())));
        ConsentEntry deny = consents.inForce(ann.id(), Consent.PLATFORM, ChannelType.VK).orElseThrow();
        assertThat(deny.granted()).isFalse();
        assertThat(deny.evidence().kind()).isEqualTo(ConsentEvidence.Kind.PLATFORM_EVENT);
        assertThat(deny.evidence().reference()).isEqualTo("vk:UNSUBSCRIBED");
        assertThat(deny.account()).contains(vk.account("ann-vk").key());

        clock.advance(Duration.ofMinutes(1));
        done(vk.deliver(new InboundEvent.AccountUpdate("vk-allow-1", vk.account("ann-vk"), clock.instant(),
                InboundEvent.AccountUpdate.Kind.SUBSCRIBED, List.of())));
        assertThat(consents.hasConsent(ann.id(), Consent.PLATFORM, ChannelType.VK)).isTrue();
        assertThat(consents.history(ann.id())).extracting(ConsentEntry::granted).containsExactly(false, true);
    }

    @Test
    public void aSendRefusedBecauseTheCustomerBlockedUsIsAWithdrawnPlatformEntry() throws Exception {
        start();
        Customer ann = writes(telegram, "ann", "hello");
        CountDownLatch recorded = new CountDownLatch(1);
        inbox.addListener(e -> {
            if (e.type() == InboxEvent.Type.CONSENT_RECORDED) {
                recorded.countDown();
            }
        });
        telegram.failNext(SendFailure.of(FailureKind.RECIPIENT_UNREACHABLE, "403",
                "Forbidden: bot was blocked by the user"));
        Message reply = inbox.reply(conversationOf(ann.id()).id(), Content.text("are you there?"));
        assertThat(recorded.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("CONSENT_RECORDED published").isTrue();
        assertThat(consents.history(ann.id())).singleElement().satisfies(e -> {
            assertThat(e.purpose()).isEqualTo(Consent.PLATFORM);
            assertThat(e.granted()).isFalse();
            assertThat(e.account()).contains(telegram.account("ann").key());
            assertThat(e.evidence().kind()).isEqualTo(ConsentEvidence.Kind.SEND_FAILURE);
            assertThat(e.evidence().reference()).isEqualTo(reply.id().value());
        });
    }

    // ---- the ledger ---------------------------------------------------------------------------------------------

    @Test
    public void theLedgerIsAppendOnlyAndTheLatestEntryIsInForce() throws Exception {
        start();
        Customer ann = writes(telegram, "ann", "hello");
        ConsentEntry first = record(ConsentChange.grant(ann.id(), Consent.SURVEYS)
                .evidence(ConsentEvidence.button("surveys:yes")));
        ConsentEntry second = record(ConsentChange.withdraw(ann.id(), Consent.SURVEYS).source("agent")
                .evidence(ConsentEvidence.agent("anna")));
        assertThat(consents.hasConsent(ann.id(), Consent.SURVEYS, ChannelType.TELEGRAM)).isFalse();
        ConsentEntry third = record(ConsentChange.grant(ann.id(), Consent.SURVEYS).account(
                telegram.account("ann").key()).evidence(ConsentEvidence.button("surveys:yes")));
        assertThat(third.channelType()).contains(ChannelType.TELEGRAM);
        assertThat(consents.history(ann.id())).containsExactly(first, second, third);
        assertThat(consents.hasConsent(ann.id(), Consent.SURVEYS, ChannelType.TELEGRAM)).isTrue();
        assertThat(consents.hasConsent(ann.id(), Consent.SURVEYS, ChannelType.EMAIL)).isFalse();
        assertThat(consents.hasConsent(ann.id(), Consent.SERVICE, ChannelType.TELEGRAM)).isFalse();
        // a consent added to the preferences directly reaches the ledger too
        clock.advance(Duration.ofMinutes(1));
        inbox.updatePreferences(TenantId.DEFAULT, ann.id(), p -> p.withConsent(Consent.SERVICE, true, "import",
                clock.instant()));
        assertThat(consents.history(ann.id())).hasSize(4).last().satisfies(e -> {
            assertThat(e.purpose()).isEqualTo(Consent.SERVICE);
            assertThat(e.evidence()).isEqualTo(ConsentEvidence.host("import"));
        });
        assertThat(consents.history(ann.id()).subList(0, 3)).containsExactly(first, second, third);
    }

    @Test
    public void theStoreRefusesASecondEntryWithTheSameIdAndKeepsTheFirst() throws Exception {
        start();
        Customer ann = writes(telegram, "ann", "hello");
        ConsentEntry first = record(ConsentChange.grant(ann.id(), Consent.MARKETING)
                .evidence(ConsentEvidence.webForm("signup", "v3")));
        ConsentEntry sameId = new ConsentEntry(first.tenant(), first.id(), first.customer(), first.account(),
                first.purpose(), first.channelType(), false, first.at().plusSeconds(1), "rewrite",
                ConsentEvidence.host("rewrite"));
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.appendConsentEntry(sameId);
            return null;
        })).isInstanceOf(RuntimeException.class);
        assertThat(consents.history(ann.id())).containsExactly(first);
        assertThat(consents.hasConsent(ann.id(), Consent.MARKETING, ChannelType.TELEGRAM)).isTrue();
    }

    @Test
    public void badChangesAreRefusedNamingWhatIsWrongAndNothingIsRecorded() throws Exception {
        start();
        Customer ann = writes(telegram, "ann", "hello");
        Customer bob = writes(telegram, "bob", "hello");
        assertThatThrownBy(() -> ConsentChange.grant(ann.id(), Consent.MARKETING).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("evidence");
        assertThatThrownBy(() -> ConsentChange.grant(ann.id(), " ").evidence(ConsentEvidence.host("x")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("purpose");
        assertThatThrownBy(() -> consents.record(ConsentChange.grant(ann.id(), Consent.MARKETING)
                .account(telegram.account("bob").key()).evidence(ConsentEvidence.host("x")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bob")
                .hasMessageContaining("not an account of customer " + ann.id());
        assertThatThrownBy(() -> consents.record(ConsentChange.grant(CustomerId.of("nobody"), Consent.MARKETING)
                .evidence(ConsentEvidence.host("x")).build())).isInstanceOf(NoSuchElementException.class);
        assertThat(consents.history(ann.id())).isEmpty();
        assertThat(consents.history(bob.id())).isEmpty();
    }

    // ---- merge and unmerge --------------------------------------------------------------------------------------

    @Test
    public void aWithdrawalAnywhereWinsAMergeAndTheUnmergeGivesEachSideExactlyItsOwnEntries() throws Exception {
        start();
        Customer ann = writes(telegram, "ann", "hello");
        Customer annVk = writes(vk, "ann-vk", "hello");
        // the VK side withdrew first; the Telegram side granted later: a naive "latest wins" would read a grant
        ConsentEntry vkWithdrawal = record(ConsentChange.withdraw(annVk.id(), Consent.MARKETING)
                .account(vk.account("ann-vk").key()).channelType(ChannelType.VK)
                .evidence(ConsentEvidence.platform("message_deny")));
        ConsentEntry vkGeneral = record(ConsentChange.withdraw(annVk.id(), Consent.MARKETING)
                .evidence(ConsentEvidence.webForm("unsubscribe", "v1")));
        ConsentEntry tgGrant = record(ConsentChange.grant(ann.id(), Consent.MARKETING)
                .evidence(ConsentEvidence.webForm("signup", "v3")));
        List<ConsentEntry> annBefore = consents.history(ann.id());
        List<ConsentEntry> vkBefore = consents.history(annVk.id());
        assertThat(annBefore).containsExactly(tgGrant);
        assertThat(vkBefore).containsExactly(vkWithdrawal, vkGeneral);

        clock.advance(Duration.ofMinutes(1));
        MergeRecord merge = inbox.merge(TenantId.DEFAULT, ann.id(), annVk.id(), "agent:anna", "same person");
        CustomerId merged = merge.survivor();
        for (ChannelType type : List.of(ChannelType.TELEGRAM, ChannelType.VK, ChannelType.EMAIL)) {
            assertThat(consents.hasConsent(merged, Consent.MARKETING, type)).as("ledger on " + type).isFalse();
            assertThat(customer(merged).preferences().hasConsent(Consent.MARKETING, type)).as("record on " + type)
                    .isFalse();
        }
        assertThat(consents.history(merged)).contains(vkWithdrawal, vkGeneral, tgGrant)
                .anySatisfy(e -> assertThat(e.evidence().kind()).isEqualTo(ConsentEvidence.Kind.MERGE));
        assertThat(consents.history(merge.absorbed())).isEqualTo(consents.history(merged));

        // the merged customer granting again after the merge is in force (except where VK's own withdrawal is later)
        ConsentEntry regrant = record(ConsentChange.grant(merged, Consent.MARKETING)
                .evidence(ConsentEvidence.button("marketing:yes")));
        assertThat(consents.hasConsent(merged, Consent.MARKETING, ChannelType.TELEGRAM)).isTrue();
        assertThat(customer(merged).preferences().hasConsent(Consent.MARKETING, ChannelType.TELEGRAM)).isTrue();
        // and "stop" from the VK account after the merge
        clock.advance(Duration.ofMinutes(1));
        writes(vk, "ann-vk", "стоп");
        assertThat(consents.hasConsent(merged, Consent.MARKETING, ChannelType.VK)).isFalse();
        ConsentEntry vkStop = consents.inForce(merged, Consent.MARKETING, ChannelType.VK).orElseThrow();

        clock.advance(Duration.ofMinutes(1));
        inbox.unmerge(TenantId.DEFAULT, merge.id(), "agent:anna");
        CustomerId survivor = merge.survivor();
        CustomerId absorbed = merge.absorbed();
        boolean annSurvived = survivor.equals(ann.id());
        List<ConsentEntry> survivorOwn = new ArrayList<>(annSurvived ? annBefore : vkBefore);
        List<ConsentEntry> absorbedOwn = new ArrayList<>(annSurvived ? vkBefore : annBefore);
        survivorOwn.add(regrant); // recorded for the merged customer without an account: stays with the survivor
        (annSurvived ? absorbedOwn : survivorOwn).add(vkStop); // through the VK account: goes with it
        assertThat(consents.history(survivor)).containsExactlyElementsOf(survivorOwn);
        assertThat(consents.history(absorbed)).containsExactlyElementsOf(absorbedOwn);
        for (CustomerId side : List.of(survivor, absorbed)) {
            for (ChannelType type : List.of(ChannelType.TELEGRAM, ChannelType.VK, ChannelType.EMAIL)) {
                assertThat(customer(side).preferences().hasConsent(Consent.MARKETING, type))
                        .as(side + " on " + type).isEqualTo(consents.hasConsent(side, Consent.MARKETING, type));
            }
        }
        assertThat(consents.hasConsent(ann.id(), Consent.MARKETING, ChannelType.TELEGRAM)).isTrue();
        assertThat(consents.hasConsent(annVk.id(), Consent.MARKETING, ChannelType.VK)).isFalse();
    }

    @Test
    public void aWithdrawalIsCarriedThroughNestedMergesAndLeavesWithItsCustomer() throws Exception {
        start();
        Customer a = writes(telegram, "a", "hello");
        Customer b = writes(vk, "b", "hello");
        Customer c = writes(email, "c@example.com", "hello");
        ConsentEntry bWithdraws = record(ConsentChange.withdraw(b.id(), Consent.MARKETING)
                .evidence(ConsentEvidence.host("crm")));
        ConsentEntry aGrants = record(ConsentChange.grant(a.id(), Consent.MARKETING)
                .evidence(ConsentEvidence.host("crm")));
        ConsentEntry cGrants = record(ConsentChange.grant(c.id(), Consent.MARKETING)
                .evidence(ConsentEvidence.host("crm")));
        clock.advance(Duration.ofMinutes(1));
        MergeRecord inner = inbox.merge(TenantId.DEFAULT, a.id(), b.id(), "agent", "same person");
        clock.advance(Duration.ofMinutes(1));
        MergeRecord outer = inbox.merge(TenantId.DEFAULT, c.id(), inner.survivor(), "agent", "same person");
        for (CustomerId any : List.of(a.id(), b.id(), c.id())) {
            assertThat(consents.hasConsent(any, Consent.MARKETING, ChannelType.EMAIL)).as("ledger " + any).isFalse();
            assertThat(customer(any).preferences().hasConsent(Consent.MARKETING, ChannelType.EMAIL))
                    .as("record " + any).isFalse();
        }
        assertThat(consents.history(c.id())).contains(bWithdraws, aGrants, cGrants);

        clock.advance(Duration.ofMinutes(1));
        inbox.unmerge(TenantId.DEFAULT, outer.id(), "agent");
        assertThat(consents.history(c.id())).containsExactly(cGrants);
        assertThat(consents.hasConsent(c.id(), Consent.MARKETING, ChannelType.EMAIL)).isTrue();
        assertThat(consents.hasConsent(a.id(), Consent.MARKETING, ChannelType.EMAIL)).isFalse(); // still merged with b
        clock.advance(Duration.ofMinutes(1));
        inbox.unmerge(TenantId.DEFAULT, inner.id(), "agent");
        assertThat(consents.history(a.id())).containsExactly(aGrants);
        assertThat(consents.history(b.id())).containsExactly(bWithdraws);
        for (CustomerId side : List.of(a.id(), b.id(), c.id())) {
            assertThat(customer(side).preferences().hasConsent(Consent.MARKETING, ChannelType.EMAIL)).as("" + side)
                    .isEqualTo(consents.hasConsent(side, Consent.MARKETING, ChannelType.EMAIL));
        }
    }

    // ---- tenants ------------------------------------------------------------------------------------------------

    @Test
    public void nothingIsSeenOrRecordedAcrossTenants() throws Exception {
        start();
        Customer ann = writes(telegram, "ann", "hello");
        done(otherTelegram.deliver(otherTelegram.text("ann", "stop")));
        Customer otherAnn = inbox.customerByAccount(otherTelegram.account("ann").key()).orElseThrow();
        Consents other = inbox.forTenant(OTHER).consent();
        record(ConsentChange.grant(ann.id(), Consent.MARKETING).evidence(ConsentEvidence.host("crm")));

        assertThat(other.history(otherAnn.id())).singleElement().satisfies(e -> {
            assertThat(e.tenant()).isEqualTo(OTHER);
            assertThat(e.granted()).isFalse();
        });
        assertThat(consents.history(ann.id())).singleElement().satisfies(e -> assertThat(e.granted()).isTrue());
        assertThatThrownBy(() -> other.history(ann.id())).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> other.record(ConsentChange.grant(ann.id(), Consent.MARKETING)
                .evidence(ConsentEvidence.host("x")).build())).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> other.record(ConsentChange.grant(otherAnn.id(), Consent.MARKETING)
                .account(telegram.account("ann").key()).evidence(ConsentEvidence.host("x")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an account");
        assertThat(inbox.events(0, 1000)).filteredOn(e -> e.type() == InboxEvent.Type.CONSENT_RECORDED)
                .extracting(InboxEvent::tenant).containsExactlyInAnyOrder(TenantId.DEFAULT, OTHER);
    }
}
