package dev.switchboard.inbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.content.Content;
import dev.switchboard.identity.IndexedName;
import dev.switchboard.identity.MergeId;
import dev.switchboard.identity.MergeRecord;
import dev.switchboard.identity.MergeSuggestion;
import dev.switchboard.identity.NameMatcher;
import dev.switchboard.identity.SuggestionId;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.Lease;
import dev.switchboard.inbox.spi.OutboxEntry;
import dev.switchboard.inbox.spi.QuarantineEntry;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerContact;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Direction;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.Message;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.Bubble;
import dev.switchboard.render.ChoiceMap;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.store.DuplicateKeyException;
import dev.switchboard.store.Page;
import dev.switchboard.store.PageRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link InboxStore} must have, at the level of the SPI: identity indexes, transactions that roll
 * back everything they wrote, conversation and timeline queries, processed-event dedup, outbox claiming under leases,
 * the gap-free event feed, quarantine, choice maps, send-pace marks and leases. A store vendor extends it and
 * implements {@link #createStore()} (a fresh, empty store per test; {@link #disposeStore()} cleans up what it set up
 * besides), then extends {@link InboxBehaviourContract}, {@link RunningInboxContract} and
 * {@link AutomatedInboundContract} the same way to run the inbox itself on the store. Timestamps are whole
 * microseconds, the precision every supported database keeps.
 */
public abstract class InboxStoreContract {

    protected static final TenantId A = TenantId.of("tenant-a");
    protected static final TenantId B = TenantId.of("tenant-b");
    protected static final ChannelId TG = ChannelId.of("telegram-main");
    protected static final ChannelId MAIL = ChannelId.of("email-support");
    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

    protected InboxStore store;

    /** A new, empty store. */
    protected abstract InboxStore createStore() throws Exception;

    /** Releases whatever {@link #createStore()} set up besides the store (schemas, directories). */
    protected void disposeStore() throws Exception {}

    @BeforeEach
    void openStore() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        try {
            if (store != null) { // null when createStore() failed or skipped the test (no database)
                store.close();
            }
        } finally {
            disposeStore();
        }
    }

    // ---- fixtures --------------------------------------------------------------------------------------------

    protected static Customer customer(TenantId tenant, String id, String... telegramUsers) {
        List<LinkedAccount> accounts = new ArrayList<>();
        for (String user : telegramUsers) {
            accounts.add(new LinkedAccount(ChannelAccount.of(tenant, TG, user, Profile.named("User " + user)),
                    "inbound", T0, false));
        }
        return Customer.create(tenant, CustomerId.of(id), T0).withAccounts(accounts, T0);
    }

    protected static CustomerContact contact(ContactPoint point) {
        return new CustomerContact(point, true, "test", T0, Optional.empty());
    }

    protected static Conversation conversation(TenantId tenant, String id, String customer, Instant updated) {
        return Conversation.open(tenant, ConversationId.of(id), CustomerId.of(customer), Optional.of(TG), updated);
    }

    protected static Message message(TenantId tenant, String id, String conversation, String customer, ChannelId channel,
                                     Direction direction, Optional<String> platformId) {
        return new Message(tenant, MessageId.of(id), ConversationId.of(conversation), CustomerId.of(customer), channel,
                direction, new AccountKey(tenant, channel, "u-" + customer), Optional.empty(),
                Content.text("text of " + id), platformId,
                direction == Direction.INBOUND ? DeliveryStatus.RECEIVED : DeliveryStatus.QUEUED,
                Optional.empty(), T0, T0);
    }

    protected static OutboxEntry outbox(TenantId tenant, String messageId, Instant due) {
        OutboundMessage m = new OutboundMessage(TG, ChannelAccount.of(tenant, TG, "42", Profile.EMPTY),
                MessageId.of(messageId), 0, Bubble.TextBubble.plain("reply " + messageId), messageId + ":0",
                Optional.empty(), dev.switchboard.channel.ThreadHints.NONE, Optional.empty(), false);
        OutboxEntry e = OutboxEntry.pending(tenant, m, T0);
        return new OutboxEntry(e.id(), e.tenant(), e.message(), e.status(), 0, due, Optional.empty(), Optional.empty(),
                Optional.empty(), T0, T0);
    }

    protected static InboxEvent event(TenantId tenant, InboxEvent.Type type, String attribute) {
        return new InboxEvent(0, tenant, type, Optional.of(ConversationId.of("k1")), Optional.empty(),
                Optional.of(CustomerId.of("c1")), Map.of("note", attribute), T0);
    }

    private <T> T tx(dev.switchboard.store.TransactionWork<dev.switchboard.inbox.spi.InboxTransaction, T> work) {
        return store.inTransaction(work);
    }

    /** Whether this store reads at most {@code limit} holders in a limited contact lookup (SQL stores do). */
    protected boolean boundsContactLookups() {
        return false;
    }

    private void run(java.util.function.Consumer<dev.switchboard.inbox.spi.InboxTransaction> work) {
        store.inTransaction(tx -> {
            work.accept(tx);
            return null;
        });
    }

    // ---- customers and identity ------------------------------------------------------------------------------

    @Test
    void indexedNamesHandBackEachCandidateWithTheFormOfItsName() {
        Customer anna = named(customer(A, "anna", "u1"), "Анна Петрова");
        Customer ivan = named(customer(A, "ivan", "u2"), "Ivan Petrov");
        Customer other = named(customer(B, "anna", "u1"), "Анна Петрова");
        run(tx -> {
            tx.saveCustomer(anna);
            tx.saveCustomer(ivan);
            tx.saveCustomer(other);
            tx.saveNameKeys(A, anna.id(), Set.of("k"), formOf("Анна Петрова"));
            tx.saveNameKeys(A, ivan.id(), Set.of("k", "j"), formOf("Ivan Petrov"));
            tx.saveNameKeys(B, other.id(), Set.of("k"), formOf("Анна Петрова"));
        });
        run(tx -> {
            assertThat(tx.indexedNames(A, "k")).containsExactlyInAnyOrder(
                    new IndexedName(anna.id(), "ana petrova"), new IndexedName(ivan.id(), "ivan petrov"));
            assertThat(tx.indexedNames(A, "j")).containsExactly(new IndexedName(ivan.id(), "ivan petrov"));
            assertThat(tx.indexedNames(A, "nobody")).isEmpty();
            tx.saveNameKeys(A, anna.id(), Set.of(), "");
        });
        run(tx -> {
            assertThat(tx.indexedNames(A, "k")).containsExactly(new IndexedName(ivan.id(), "ivan petrov"));
            assertThat(tx.indexedNames(B, "k")).containsExactly(new IndexedName(other.id(), "ana petrova"));
        });
    }

    private static Customer named(Customer c, String name) {
        return c.with(Optional.of(name), c.language(), c.accounts(), c.contacts(), c.attributes(), c.preferences(),
                c.conflicts(), c.mergedInto(), T0);
    }

    private static String formOf(String name) {
        return NameMatcher.formOf(name);
    }

    @Test
    void customersAndAccountsAreIsolatedPerTenantEvenWithCollidingIds() {
        Customer inA = customer(A, "same-id", "100");
        Customer inB = customer(B, "same-id", "100").withAttribute("tenant", "b", T0);
        run(tx -> {
            tx.saveCustomer(inA);
            tx.saveCustomer(inB);
        });
        run(tx -> {
            assertThat(tx.customer(A, CustomerId.of("same-id"))).contains(inA);
            assertThat(tx.customer(B, CustomerId.of("same-id"))).contains(inB);
            assertThat(tx.customerByAccount(new AccountKey(A, TG, "100"))).contains(CustomerId.of("same-id"));
            assertThat(tx.customerByAccount(new AccountKey(TenantId.of("tenant-c"), TG, "100"))).isEmpty();
            assertThat(tx.customer(TenantId.of("tenant-c"), CustomerId.of("same-id"))).isEmpty();
        });
    }

    @Test
    void anAccountOwnedByAnotherLiveCustomerIsADuplicateKey() {
        run(tx -> tx.saveCustomer(customer(A, "c1", "100")));
        assertThatThrownBy(() -> run(tx -> tx.saveCustomer(customer(A, "c2", "100"))))
                .isInstanceOf(DuplicateKeyException.class);
        run(tx -> {
            assertThat(tx.customer(A, CustomerId.of("c2"))).isEmpty();
            assertThat(tx.customerByAccount(new AccountKey(A, TG, "100"))).contains(CustomerId.of("c1"));
        });
    }

    @Test
    void aSurvivorTakesOverTheAccountsOfAMergedCustomer() {
        run(tx -> tx.saveCustomer(customer(A, "absorbed", "100")));
        run(tx -> {
            Customer absorbed = tx.customer(A, CustomerId.of("absorbed")).orElseThrow();
            tx.saveCustomer(absorbed.with(absorbed.displayName(), absorbed.language(), absorbed.accounts(),
                    absorbed.contacts(), absorbed.attributes(), absorbed.preferences(), absorbed.conflicts(),
                    Optional.of(CustomerId.of("survivor")), T0));
            tx.saveCustomer(customer(A, "survivor", "100", "200"));
        });
        run(tx -> {
            assertThat(tx.customerByAccount(new AccountKey(A, TG, "100"))).contains(CustomerId.of("survivor"));
            assertThat(tx.customerByAccount(new AccountKey(A, TG, "200"))).contains(CustomerId.of("survivor"));
        });
    }

    @Test
    void resavingACustomerKeepsAccountAndContactIndexesInStep() {
        ContactPoint phone = new ContactPoint(ContactPoint.Kind.PHONE, "+79161234567");
        ContactPoint email = new ContactPoint(ContactPoint.Kind.EMAIL, "ann@example.com");
        Customer first = customer(A, "c1", "100", "101").withContacts(List.of(contact(phone)), T0);
        run(tx -> tx.saveCustomer(first));
        Customer second = customer(A, "c1", "101", "102").withContacts(List.of(contact(email)), T0);
        run(tx -> tx.saveCustomer(second));
        run(tx -> {
            assertThat(tx.customerByAccount(new AccountKey(A, TG, "100"))).isEmpty();
            assertThat(tx.customerByAccount(new AccountKey(A, TG, "101"))).contains(CustomerId.of("c1"));
            assertThat(tx.customerByAccount(new AccountKey(A, TG, "102"))).contains(CustomerId.of("c1"));
            assertThat(tx.customersByContact(A, phone)).isEmpty();
            assertThat(tx.customersByContact(A, email)).containsExactly(CustomerId.of("c1"));
            assertThat(tx.customersByContact(B, email)).isEmpty();
        });
        // The freed account may now go to someone else.
        run(tx -> tx.saveCustomer(customer(A, "c2", "100")));
        run(tx -> assertThat(tx.customerByAccount(new AccountKey(A, TG, "100"))).contains(CustomerId.of("c2")));
    }

    @Test
    void contactLookupsSkipMergedCustomers() {
        ContactPoint phone = new ContactPoint(ContactPoint.Kind.PHONE, "+79160000000");
        run(tx -> {
            tx.saveCustomer(customer(A, "live").withContacts(List.of(contact(phone)), T0));
            Customer merged = customer(A, "gone").withContacts(List.of(contact(phone)), T0);
            tx.saveCustomer(merged.with(merged.displayName(), merged.language(), merged.accounts(), merged.contacts(),
                    merged.attributes(), merged.preferences(), merged.conflicts(), Optional.of(CustomerId.of("live")), T0));
        });
        run(tx -> assertThat(tx.customersByContact(A, phone)).containsExactly(CustomerId.of("live")));
    }

    @Test
    void aLimitedContactLookupReadsEveryHolderUpToTheLimitAndAtLeastTheLimitBeyondIt() {
        ContactPoint hotline = new ContactPoint(ContactPoint.Kind.PHONE, "+78005553535");
        run(tx -> {
            for (int i = 1; i <= 5; i++) {
                tx.saveCustomer(customer(A, "h" + i, "h-" + i).withContacts(List.of(contact(hotline)), T0));
            }
        });
        run(tx -> {
            Set<CustomerId> all = tx.customersByContact(A, hotline);
            assertThat(all).hasSize(5);
            assertThat(tx.customersByContact(A, hotline, 6)).isEqualTo(all);
            assertThat(tx.customersByContact(A, hotline, 5)).isEqualTo(all);
            Set<CustomerId> limited = tx.customersByContact(A, hotline, 3);
            assertThat(limited).hasSizeGreaterThanOrEqualTo(3).isSubsetOf(all);
            if (boundsContactLookups()) {
                assertThat(limited).as("a store that pays per row reads no more than asked").hasSize(3);
            }
            assertThat(tx.customersByContact(B, hotline, 3)).isEmpty();
            assertThatThrownBy(() -> tx.customersByContact(A, hotline, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        });
    }

    @Test
    void nameKeysMergesSuggestionsDistinctAndAmbiguousRoundTrip() {
        CustomerId a = CustomerId.of("a");
        CustomerId b = CustomerId.of("b");
        CustomerId c = CustomerId.of("c");
        MergeRecord first = new MergeRecord(A, new MergeId("m1"), a, b, List.of(Evidence.verified(
                new ContactPoint(ContactPoint.Kind.PHONE, "+79161234567"), "telegram.contact", T0)), "same phone",
                "identity-engine", customer(A, "a"), customer(A, "b"), T0, Optional.empty());
        MergeRecord second = new MergeRecord(A, new MergeId("m2"), c, a, List.of(), "agent", "agent-1",
                customer(A, "c"), customer(A, "a"), T0.plusSeconds(1), Optional.empty());
        MergeSuggestion low = new MergeSuggestion(A, new SuggestionId("s1"), a, c, 0.4, List.of("similar name"),
                MergeSuggestion.Status.OPEN, T0, Optional.empty(), Optional.empty());
        MergeSuggestion high = new MergeSuggestion(A, new SuggestionId("s2"), b, c, 0.9, List.of("typed phone"),
                MergeSuggestion.Status.OPEN, T0.plusSeconds(1), Optional.empty(), Optional.empty());
        ContactPoint shared = new ContactPoint(ContactPoint.Kind.EMAIL, "office@example.com");
        run(tx -> {
            tx.saveNameKeys(A, a, Set.of("ivan", "ivanov"));
            tx.saveNameKeys(A, a, Set.of("ivanov"));
            tx.saveNameKeys(A, b, Set.of("ivanov"));
            tx.saveMerge(first);
            tx.saveMerge(second);
            tx.saveSuggestion(low);
            tx.saveSuggestion(high);
            tx.markDistinct(A, b, a);
            tx.markDistinct(A, a, b);
            tx.markAmbiguous(A, shared);
            tx.markAmbiguous(A, shared);
        });
        run(tx -> {
            assertThat(tx.customersByNameKey(A, "ivan")).isEmpty();
            assertThat(tx.customersByNameKey(A, "ivanov")).containsExactlyInAnyOrder(a, b);
            assertThat(tx.customersByNameKey(B, "ivanov")).isEmpty();
            assertThat(tx.merge(A, new MergeId("m1"))).contains(first);
            assertThat(tx.merge(B, new MergeId("m1"))).isEmpty();
            assertThat(tx.mergesOf(A, a)).containsExactly(first, second);
            assertThat(tx.suggestion(A, new SuggestionId("s2"))).contains(high);
            assertThat(tx.openSuggestions(A, 10)).containsExactly(high, low);
            assertThat(tx.openSuggestions(A, 1)).containsExactly(high);
            assertThat(tx.suggestionsOf(A, c)).containsExactly(high, low);
            assertThat(tx.areDistinct(A, a, b)).isTrue();
            assertThat(tx.areDistinct(A, b, a)).isTrue();
            assertThat(tx.areDistinct(A, a, c)).isFalse();
            assertThat(tx.areDistinct(B, a, b)).isFalse();
            assertThat(tx.isAmbiguous(A, shared)).isTrue();
            assertThat(tx.isAmbiguous(B, shared)).isFalse();
        });
        MergeRecord undone = first.undone(T0.plusSeconds(9));
        MergeSuggestion rejected = low.decided(MergeSuggestion.Status.REJECTED, "agent-1", T0.plusSeconds(9));
        run(tx -> {
            tx.saveMerge(undone);
            tx.saveSuggestion(rejected);
        });
        run(tx -> {
            assertThat(tx.mergesOf(A, b)).containsExactly(undone);
            assertThat(tx.openSuggestions(A, 10)).containsExactly(high);
            assertThat(tx.suggestionsOf(A, a)).containsExactly(rejected);
        });
    }

    // ---- transactions ----------------------------------------------------------------------------------------

    @Test
    void anExceptionRollsBackEverythingTheWorkWrote() {
        assertThatThrownBy(() -> run(tx -> {
            tx.saveCustomer(customer(A, "c1", "100"));
            tx.saveConversation(conversation(A, "k1", "c1", T0));
            tx.saveMessage(message(A, "m1", "k1", "c1", TG, Direction.INBOUND, Optional.of("p1")));
            tx.markProcessed(A, TG, "e1", T0);
            tx.enqueue(outbox(A, "o1", T0));
            tx.appendEvent(event(A, InboxEvent.Type.MESSAGE_RECEIVED, "x"));
            tx.saveChoiceMap(A, ConversationId.of("k1"), new ChoiceMap(Map.of("1", "yes")));
            tx.quarantine(A, new RejectedInput(TG, Optional.empty(), new byte[] {1}, "bad", T0));
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        run(tx -> {
            assertThat(tx.customer(A, CustomerId.of("c1"))).isEmpty();
            assertThat(tx.customerByAccount(new AccountKey(A, TG, "100"))).isEmpty();
            assertThat(tx.conversation(A, ConversationId.of("k1"))).isEmpty();
            assertThat(tx.message(A, MessageId.of("m1"))).isEmpty();
            assertThat(tx.markProcessed(A, TG, "e1", T0)).isTrue();
            assertThat(tx.outboxEntry("o1:0")).isEmpty();
            assertThat(tx.events(Optional.empty(), 0, 10)).isEmpty();
            assertThat(tx.choiceMap(A, ConversationId.of("k1"))).isEmpty();
            assertThat(tx.quarantined(A, 10)).isEmpty();
        });
        // Sequence numbers taken by the rolled-back transaction are not lost: the feed has no gap.
        run(tx -> tx.appendEvent(event(A, InboxEvent.Type.MESSAGE_RECEIVED, "y")));
        assertThat(this.<List<InboxEvent>>tx(tx -> tx.events(Optional.empty(), 0, 10)))
                .extracting(InboxEvent::seq).containsExactly(1L);
    }

    @Test
    void concurrentFirstResolutionsOfOneAccountEndWithOneCustomer() throws Exception {
        AccountKey key = new AccountKey(A, TG, "777");
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<CustomerId>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String candidate = "candidate-" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    // The shape of the identity engine's first resolution: look up, create when absent.
                    return store.inTransaction(tx -> tx.customerByAccount(key).orElseGet(() -> {
                        tx.saveCustomer(customer(A, candidate, "777"));
                        return CustomerId.of(candidate);
                    }));
                }));
            }
            start.countDown();
            Set<CustomerId> winners = new HashSet<>();
            for (Future<CustomerId> f : results) {
                winners.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(winners).hasSize(1);
            run(tx -> assertThat(tx.customerByAccount(key)).contains(winners.iterator().next()));
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- conversations ---------------------------------------------------------------------------------------

    @Test
    void conversationQueriesFilterAndPageNewestActivityFirst() {
        List<Conversation> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Conversation c = conversation(A, String.format("k%02d", i), "c" + (i % 3), T0.plusSeconds(i % 7));
            if (i % 2 == 0) {
                c = c.withAssignee(Optional.of("alice"), c.updatedAt());
            }
            if (i % 5 == 0) {
                c = c.withStatus(ConversationStatus.RESOLVED, c.updatedAt());
            }
            if (i % 4 == 0) {
                c = new Conversation(c.tenant(), c.id(), c.customer(), c.status(), c.priority(), c.assignee(), c.tags(),
                        Optional.of(MAIL), c.createdAt(), c.updatedAt(), c.lastInboundAt(), c.firstResponseAt(),
                        c.resolvedAt(), c.subject());
            }
            all.add(c);
        }
        run(tx -> {
            all.forEach(tx::saveConversation);
            tx.saveConversation(conversation(B, "k00", "c0", T0.plusSeconds(100)));
        });
        List<Conversation> expectedOrder = all.stream()
                .sorted((x, y) -> {
                    int byTime = y.updatedAt().compareTo(x.updatedAt());
                    return byTime != 0 ? byTime : x.id().value().compareTo(y.id().value());
                }).collect(Collectors.toList());

        assertThat(readAllPages(ConversationQuery.all(A, 4))).containsExactlyElementsOf(expectedOrder);
        ConversationQuery filtered = new ConversationQuery(A, EnumSet.of(ConversationStatus.OPEN),
                Optional.of("alice"), Optional.of(TG), PageRequest.first(3));
        assertThat(readAllPages(filtered)).containsExactlyElementsOf(expectedOrder.stream()
                .filter(c -> c.status() == ConversationStatus.OPEN && c.assignee().equals(Optional.of("alice"))
                        && c.channel().equals(Optional.of(TG))).collect(Collectors.toList())).isNotEmpty();
        ConversationQuery resolvedOrPending = new ConversationQuery(A,
                EnumSet.of(ConversationStatus.RESOLVED, ConversationStatus.PENDING), Optional.empty(),
                Optional.empty(), PageRequest.first(1000));
        assertThat(readAllPages(resolvedOrPending)).hasSize(5);

        Set<CustomerId> ofCustomers = Set.of(CustomerId.of("c1"), CustomerId.of("c2"));
        run(tx -> assertThat(tx.conversationsOf(A, ofCustomers)).containsExactlyElementsOf(expectedOrder.stream()
                .filter(c -> ofCustomers.contains(c.customer())).collect(Collectors.toList())));
    }

    private List<Conversation> readAllPages(ConversationQuery query) {
        List<Conversation> out = new ArrayList<>();
        ConversationQuery q = query;
        for (int guard = 0; guard < 100; guard++) {
            ConversationQuery current = q;
            Page<Conversation> page = tx(tx -> tx.conversations(current));
            assertThat(page.items().size()).isLessThanOrEqualTo(query.page().limit());
            out.addAll(page.items());
            if (page.nextCursor().isEmpty()) {
                return out;
            }
            q = new ConversationQuery(q.tenant(), q.statuses(), q.assignee(), q.channel(),
                    q.page().after(page.nextCursor().get()));
        }
        throw new AssertionError("paging did not end");
    }

    @Test
    void conversationsAreTenantScopedAndReplacedOnResave() {
        Conversation open = conversation(A, "k1", "c1", T0);
        run(tx -> {
            tx.saveConversation(open);
            tx.saveConversation(conversation(B, "k1", "other", T0));
        });
        Conversation resolved = open.withStatus(ConversationStatus.RESOLVED, T0.plusSeconds(5));
        run(tx -> tx.saveConversation(resolved));
        run(tx -> {
            assertThat(tx.conversation(A, ConversationId.of("k1"))).contains(resolved);
            assertThat(tx.conversation(B, ConversationId.of("k1")).orElseThrow().customer()).isEqualTo(CustomerId.of("other"));
            assertThat(tx.conversationsOf(A, Set.of(CustomerId.of("other")))).isEmpty();
        });
    }

    // ---- messages --------------------------------------------------------------------------------------------

    @Test
    void messagesKeepStoredOrderAndPlatformIdsAreUniquePerChannelAndDirection() {
        run(tx -> {
            tx.saveMessage(message(A, "m1", "k1", "c1", TG, Direction.INBOUND, Optional.of("p1")));
            tx.saveMessage(message(A, "m2", "k1", "c1", TG, Direction.OUTBOUND, Optional.empty()));
            tx.saveMessage(message(A, "m3", "k1", "c1", TG, Direction.OUTBOUND, Optional.of("p1")));
            tx.saveMessage(message(A, "m4", "k1", "c1", MAIL, Direction.INBOUND, Optional.of("p1")));
            tx.saveMessage(message(B, "m1", "k1", "c1", TG, Direction.INBOUND, Optional.of("p1")));
        });
        assertThatThrownBy(() -> run(tx ->
                tx.saveMessage(message(A, "m9", "k1", "c1", TG, Direction.INBOUND, Optional.of("p1")))))
                .isInstanceOf(DuplicateKeyException.class);
        Message m2 = tx(tx -> tx.message(A, MessageId.of("m2")).orElseThrow());
        Message sent = m2.withStatus(DeliveryStatus.SENT, Optional.of("p2"), Optional.empty());
        run(tx -> tx.saveMessage(sent));
        run(tx -> {
            assertThat(tx.message(A, MessageId.of("m9"))).isEmpty();
            assertThat(tx.message(A, MessageId.of("m2"))).contains(sent);
            assertThat(tx.messages(A, ConversationId.of("k1"))).extracting(m -> m.id().value())
                    .containsExactly("m1", "m2", "m3", "m4");
            assertThat(tx.messageByPlatformId(A, TG, "p2")).contains(sent);
            assertThat(tx.messageByPlatformId(A, MAIL, "p1").orElseThrow().id()).isEqualTo(MessageId.of("m4"));
            assertThat(tx.messageByPlatformId(B, MAIL, "p1")).isEmpty();
            assertThat(tx.messages(B, ConversationId.of("k1"))).hasSize(1);
        });
    }

    @Test
    void aDuplicateMessageCaughtInsideTheWorkStillLeavesTheStoreConsistent() {
        run(tx -> tx.saveMessage(message(A, "m1", "k1", "c1", TG, Direction.INBOUND, Optional.of("p1"))));
        boolean[] sawDuplicate = {false};
        run(tx -> {
            try {
                tx.saveMessage(message(A, "m2", "k1", "c1", TG, Direction.INBOUND, Optional.of("p1")));
            } catch (DuplicateKeyException e) {
                sawDuplicate[0] = true;
            }
            tx.saveMessage(message(A, "m3", "k1", "c1", TG, Direction.INBOUND, Optional.of("p3")));
        });
        assertThat(sawDuplicate[0]).isTrue();
        run(tx -> assertThat(tx.messages(A, ConversationId.of("k1"))).extracting(m -> m.id().value())
                .containsExactly("m1", "m3"));
    }

    @Test
    void timelinePagesThroughEveryChannelInStoredOrder() {
        List<String> expected = new ArrayList<>();
        run(tx -> {
            for (int i = 0; i < 23; i++) {
                String customer = i % 3 == 0 ? "x" : (i % 3 == 1 ? "c1" : "c2");
                ChannelId channel = i % 2 == 0 ? TG : MAIL;
                tx.saveMessage(message(A, "m" + i, "k" + (i % 4), customer, channel, Direction.INBOUND,
                        Optional.of("p" + i)));
                if (!customer.equals("x")) {
                    expected.add("m" + i);
                }
            }
        });
        List<String> seen = new ArrayList<>();
        PageRequest page = PageRequest.first(5);
        for (int guard = 0; guard < 100; guard++) {
            PageRequest current = page;
            Page<Message> p = tx(tx -> tx.timeline(A, Set.of(CustomerId.of("c1"), CustomerId.of("c2")), current));
            p.items().forEach(m -> seen.add(m.id().value()));
            if (p.nextCursor().isEmpty()) {
                break;
            }
            page = page.after(p.nextCursor().get());
        }
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(tx(tx -> tx.timeline(B, Set.of(CustomerId.of("c1")), PageRequest.first(10))).items()).isEmpty();
    }

    // ---- dedupe ----------------------------------------------------------------------------------------------

    @Test
    void processedEventsAreDedupedPerTenantAndChannel() {
        assertThat(this.<Boolean>tx(tx -> tx.markProcessed(A, TG, "e1", T0))).isTrue();
        assertThat(this.<Boolean>tx(tx -> tx.markProcessed(A, TG, "e1", T0.plusSeconds(1)))).isFalse();
        assertThat(this.<Boolean>tx(tx -> tx.markProcessed(A, MAIL, "e1", T0))).isTrue();
        assertThat(this.<Boolean>tx(tx -> tx.markProcessed(B, TG, "e1", T0))).isTrue();
        assertThat(this.<Boolean>tx(tx -> tx.markProcessed(A, TG, "e1", T0))).isFalse();
    }

    @Test
    void processedEventsOlderThanTheCutoffArePrunedOldestFirstUpToTheLimit() {
        run(tx -> {
            tx.markProcessed(A, TG, "oldest", T0);
            tx.markProcessed(B, MAIL, "older", T0.plusSeconds(10));
            tx.markProcessed(A, TG, "old", T0.plusSeconds(20));
            tx.markProcessed(A, TG, "recent", T0.plusSeconds(30));
        });
        Instant cutoff = T0.plusSeconds(30);
        assertThat(this.<Integer>tx(tx -> tx.pruneProcessed(cutoff, 2))).isEqualTo(2);
        assertThat(this.<Integer>tx(tx -> tx.pruneProcessed(cutoff, 2))).isEqualTo(1);
        assertThat(this.<Integer>tx(tx -> tx.pruneProcessed(cutoff, 2))).isZero();
        // the pruned ids are forgotten (a redelivery would be new again); the one at the cutoff is kept
        assertThat(this.<Boolean>tx(tx -> tx.markProcessed(A, TG, "oldest", T0))).isTrue();
        assertThat(this.<Boolean>tx(tx -> tx.markProcessed(B, MAIL, "older", T0))).isTrue();
        assertThat(this.<Boolean>tx(tx -> tx.markProcessed(A, TG, "old", T0))).isTrue();
        assertThat(this.<Boolean>tx(tx -> tx.markProcessed(A, TG, "recent", T0))).isFalse();
    }

    @Test
    void aRolledBackPruneForgetsNothing() {
        run(tx -> tx.markProcessed(A, TG, "e1", T0));
        assertThatThrownBy(() -> run(tx -> {
            assertThat(tx.pruneProcessed(T0.plusSeconds(1), 10)).isEqualTo(1);
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(this.<Boolean>tx(tx -> tx.markProcessed(A, TG, "e1", T0))).isFalse();
    }

    // ---- send pacing (stores that share it) ------------------------------------------------------------------

    /**
     * A store that {@linkplain InboxStore#sharesSendPacing() shares send pacing} keeps one mark per key, replaced on
     * save and kept across transactions (two nodes pacing one platform account read each other's marks), forgets
     * nothing a rolled-back transaction saved over, and prunes only marks earlier than the cutoff.
     */
    @Test
    void sendPaceMarksAreKeptPerKeyReplacedOnSaveAndPrunedWhenPast() {
        Assumptions.assumeTrue(store.sharesSendPacing(), "this store paces each node on its own");
        run(tx -> {
            assertThat(tx.sendPaceMark("tg:a")).isEmpty();
            tx.saveSendPaceMark("tg:a", T0);
            tx.saveSendPaceMark("tg:b", T0.plusSeconds(5));
        });
        run(tx -> tx.saveSendPaceMark("tg:a", T0.plusMillis(100)));
        assertThatThrownBy(() -> run(tx -> {
            tx.saveSendPaceMark("tg:a", T0.plusSeconds(60));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        run(tx -> {
            assertThat(tx.sendPaceMark("tg:a")).contains(T0.plusMillis(100));
            assertThat(tx.sendPaceMark("tg:b")).contains(T0.plusSeconds(5));
            assertThat(tx.pruneSendPaceMarks(T0.plusSeconds(1))).isEqualTo(1);
        });
        run(tx -> {
            assertThat(tx.sendPaceMark("tg:a")).isEmpty();
            assertThat(tx.sendPaceMark("tg:b")).contains(T0.plusSeconds(5));
        });
    }

    // ---- outbox ----------------------------------------------------------------------------------------------

    @Test
    void oldestPendingOutboxIsWhenTheOldestRowStillPendingWasQueued() {
        assertThat(this.<Optional<Instant>>tx(dev.switchboard.inbox.spi.InboxTransaction::oldestPendingOutbox)).isEmpty();
        OutboxEntry older = queuedAt(outbox(A, "older", T0), T0.plusSeconds(5));
        OutboxEntry newer = queuedAt(outbox(B, "newer", T0), T0.plusSeconds(9));
        run(tx -> {
            tx.enqueue(newer);
            tx.enqueue(older);
        });
        assertThat(this.<Optional<Instant>>tx(dev.switchboard.inbox.spi.InboxTransaction::oldestPendingOutbox)).contains(T0.plusSeconds(5));
        run(tx -> tx.updateOutbox(new OutboxEntry(older.id(), older.tenant(), older.message(),
                OutboxEntry.Status.SENT, 1, older.nextAttemptAt(), Optional.empty(), Optional.empty(),
                Optional.empty(), older.createdAt(), T0.plusSeconds(10))));
        assertThat(this.<Optional<Instant>>tx(dev.switchboard.inbox.spi.InboxTransaction::oldestPendingOutbox)).contains(T0.plusSeconds(9));
    }

    private static OutboxEntry queuedAt(OutboxEntry e, Instant createdAt) {
        return new OutboxEntry(e.id(), e.tenant(), e.message(), e.status(), e.attempts(), e.nextAttemptAt(),
                e.lastError(), e.leaseOwner(), e.leaseUntil(), createdAt, createdAt);
    }

    @Test
    void outboxClaimsDueRowsOldestFirstUnderALease() {
        run(tx -> {
            tx.enqueue(outbox(A, "late", T0.plusSeconds(600)));
            tx.enqueue(outbox(A, "second", T0.plusSeconds(2)));
            tx.enqueue(outbox(B, "first", T0.plusSeconds(1)));
        });
        assertThatThrownBy(() -> run(tx -> tx.enqueue(outbox(A, "first", T0))))
                .isInstanceOf(DuplicateKeyException.class);
        Instant now = T0.plusSeconds(10);
        List<OutboxEntry> claimed = tx(tx -> tx.claimOutbox(now, 10, "node-1", now.plusSeconds(30)));
        assertThat(claimed).extracting(OutboxEntry::id).containsExactly("first:0", "second:0");
        assertThat(claimed).allSatisfy(e -> {
            assertThat(e.leaseOwner()).contains("node-1");
            assertThat(e.leaseUntil()).contains(now.plusSeconds(30));
        });
        assertThat(claimed.get(0).tenant()).isEqualTo(B);
        assertThat(claimed.get(0).message()).isEqualTo(outbox(B, "first", T0).message());
        // Leased rows are not handed out again until the lease expires.
        assertThat(this.<List<OutboxEntry>>tx(tx -> tx.claimOutbox(now.plusSeconds(1), 10, "node-2", now.plusSeconds(31)))).isEmpty();
        List<OutboxEntry> afterExpiry = tx(tx -> tx.claimOutbox(now.plusSeconds(31), 1, "node-2", now.plusSeconds(61)));
        assertThat(afterExpiry).extracting(OutboxEntry::id).containsExactly("first:0");
        assertThat(afterExpiry.get(0).leaseOwner()).contains("node-2");

        OutboxEntry e = afterExpiry.get(0);
        OutboxEntry sent = new OutboxEntry(e.id(), e.tenant(), e.message(), OutboxEntry.Status.SENT, 1,
                e.nextAttemptAt(), Optional.empty(), Optional.empty(), Optional.empty(), e.createdAt(),
                now.plusSeconds(32));
        OutboxEntry retry = new OutboxEntry("second:0", A, claimed.get(1).message(), OutboxEntry.Status.PENDING, 1,
                now.plusSeconds(100), Optional.of("429 too many requests"), Optional.empty(), Optional.empty(), T0,
                now.plusSeconds(32));
        run(tx -> {
            tx.updateOutbox(sent);
            tx.updateOutbox(retry);
            assertThat(tx.pendingOutboxCount()).isEqualTo(2);
        });
        run(tx -> {
            assertThat(tx.outboxEntry("first:0")).contains(sent);
            assertThat(tx.outboxEntry("second:0")).contains(retry);
            assertThat(tx.claimOutbox(now.plusSeconds(99), 10, "n", now.plusSeconds(130))).isEmpty();
            assertThat(tx.claimOutbox(now.plusSeconds(100), 10, "n", now.plusSeconds(130)))
                    .extracting(OutboxEntry::id).containsExactly("second:0");
        });
        assertThatThrownBy(() -> run(tx -> tx.updateOutbox(outbox(A, "missing", T0))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A row's message can be replaced (the outbox gives it a new idempotency key when the platform deduplicated its
     * send against another message): only the message changes, the change is undone with a failed transaction, the
     * next claim and later state writes carry the new message, and a missing row is refused.
     */
    @Test
    void replacingAnOutboxRowsMessageChangesOnlyTheMessage() {
        OutboxEntry row = outbox(A, "rekeyed", T0);
        run(tx -> tx.enqueue(row));
        OutboundMessage m = row.message();
        OutboundMessage rekeyed = new OutboundMessage(m.channel(), m.recipient(), m.messageId(), m.part(), m.bubble(),
                m.idempotencyKey() + "~1", m.replyToPlatformMessageId(), m.thread(), m.senderName(), m.automatic(),
                m.marketing());
        assertThatThrownBy(() -> run(tx -> {
            tx.replaceOutboxMessage(row.id(), rekeyed);
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        run(tx -> assertThat(tx.outboxEntry(row.id())).contains(row));

        run(tx -> tx.replaceOutboxMessage(row.id(), rekeyed));
        OutboxEntry expected = new OutboxEntry(row.id(), row.tenant(), rekeyed, row.status(), row.attempts(),
                row.nextAttemptAt(), row.lastError(), row.leaseOwner(), row.leaseUntil(), row.createdAt(),
                row.updatedAt());
        run(tx -> assertThat(tx.outboxEntry(row.id())).contains(expected));
        Instant now = T0.plusSeconds(10);
        List<OutboxEntry> claimed = tx(tx -> tx.claimOutbox(now, 10, "node-1", now.plusSeconds(30)));
        assertThat(claimed).singleElement().satisfies(e -> {
            assertThat(e.message()).isEqualTo(rekeyed);
            assertThat(e.message().idempotencyKey()).isEqualTo("rekeyed:0~1");
        });
        OutboxEntry sent = new OutboxEntry(row.id(), row.tenant(), rekeyed, OutboxEntry.Status.SENT, 1,
                row.nextAttemptAt(), Optional.empty(), Optional.empty(), Optional.empty(), row.createdAt(),
                now.plusSeconds(1));
        run(tx -> tx.updateOutbox(sent));
        run(tx -> assertThat(tx.outboxEntry(row.id())).contains(sent));
        assertThatThrownBy(() -> run(tx -> tx.replaceOutboxMessage("missing:0", rekeyed)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A claim or an outcome written by a transaction that then fails is undone with it: the row is pending, unleased
     * and claimable at once, not held by a lease nobody will send under, nor marked sent.
     */
    @Test
    void aRolledBackClaimOrOutcomeLeavesTheRowPendingAndClaimable() {
        run(tx -> tx.enqueue(outbox(A, "o1", T0)));
        Instant now = T0.plusSeconds(10);
        assertThatThrownBy(() -> run(tx -> {
            OutboxEntry claimed = tx.claimOutbox(now, 10, "node-1", now.plusSeconds(300)).get(0);
            tx.updateOutbox(new OutboxEntry(claimed.id(), claimed.tenant(), claimed.message(), OutboxEntry.Status.SENT,
                    1, claimed.nextAttemptAt(), Optional.empty(), Optional.empty(), Optional.empty(),
                    claimed.createdAt(), now));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        run(tx -> {
            assertThat(tx.outboxEntry("o1:0")).contains(outbox(A, "o1", T0));
            assertThat(tx.pendingOutboxCount()).isEqualTo(1);
            assertThat(tx.claimOutbox(now, 10, "node-2", now.plusSeconds(300))).extracting(OutboxEntry::id)
                    .containsExactly("o1:0");
        });
    }

    @Test
    void concurrentClaimersNeverGetTheSameRow() throws Exception {
        int rows = 120;
        run(tx -> IntStream.range(0, rows).forEach(i -> tx.enqueue(outbox(A, "o" + i, T0))));
        Set<String> claimedIds = ConcurrentHashMap.newKeySet();
        List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
        int workers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                String owner = "node-" + w;
                futures.add(pool.submit(() -> {
                    while (true) {
                        List<OutboxEntry> batch = store.inTransaction(tx -> tx.claimOutbox(T0.plusSeconds(1), 7, owner,
                                T0.plusSeconds(600)));
                        if (batch.isEmpty()) {
                            return;
                        }
                        batch.forEach(e -> {
                            if (!claimedIds.add(e.id())) {
                                duplicates.add(e.id());
                            }
                        });
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(duplicates).isEmpty();
        assertThat(claimedIds).hasSize(rows);
    }

    // ---- event feed ------------------------------------------------------------------------------------------

    /**
     * Numbers are assigned by commit at the latest (the JDBC store numbers at commit; the returned event may still
     * carry seq 0), and read back in order, per tenant or all, from any cursor.
     */
    @Test
    void eventsAreNumberedInOrderAndReadByCursor() {
        List<InboxEvent> appended = new ArrayList<>();
        run(tx -> {
            appended.add(tx.appendEvent(event(A, InboxEvent.Type.CUSTOMER_CREATED, "1")));
            appended.add(tx.appendEvent(event(B, InboxEvent.Type.MESSAGE_RECEIVED, "2")));
        });
        run(tx -> appended.add(tx.appendEvent(new InboxEvent(0, A, InboxEvent.Type.REPLY_QUEUED, Optional.empty(),
                Optional.of(MessageId.of("m1")), Optional.empty(), Map.of(), T0))));
        List<InboxEvent> expected = new ArrayList<>();
        for (int i = 0; i < appended.size(); i++) {
            assertThat(appended.get(i).seq()).isIn(0L, i + 1L);
            expected.add(appended.get(i).withSeq(i + 1L));
        }
        run(tx -> {
            assertThat(tx.events(Optional.empty(), 0, 10)).containsExactlyElementsOf(expected);
            assertThat(tx.events(Optional.empty(), 1, 1)).containsExactly(expected.get(1));
            assertThat(tx.events(Optional.of(A), 0, 10)).containsExactly(expected.get(0), expected.get(2));
            assertThat(tx.events(Optional.of(A), 1, 10)).containsExactly(expected.get(2));
            assertThat(tx.events(Optional.empty(), 3, 10)).isEmpty();
            assertThat(tx.lastEventSeq()).isEqualTo(3);
            // Within the appending transaction the feed already shows the event.
            tx.appendEvent(event(B, InboxEvent.Type.CUSTOMER_CREATED, "4"));
            assertThat(tx.events(Optional.of(B), 2, 10)).extracting(InboxEvent::seq).containsExactly(4L);
        });
    }

    @Test
    void aCursorReaderNeverSeesAGapWhileWritersAppendConcurrently() throws Exception {
        int writers = 4;
        int perWriter = 40;
        AtomicBoolean done = new AtomicBoolean();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            Future<Long> reader = pool.submit(() -> {
                long cursor = 0;
                while (true) {
                    boolean finished = done.get();
                    long from = cursor;
                    List<InboxEvent> page = store.inTransaction(tx -> tx.events(Optional.empty(), from, 50));
                    for (InboxEvent e : page) {
                        if (e.seq() != cursor + 1) {
                            problems.add("after " + cursor + " read " + e.seq());
                        }
                        cursor = e.seq();
                    }
                    if (finished && page.isEmpty()) {
                        return cursor;
                    }
                }
            });
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        int n = i;
                        store.inTransaction(tx -> {
                            tx.appendEvent(event(A, InboxEvent.Type.MESSAGE_RECEIVED, writer + "-" + n));
                            // Some work after taking the number, so transactions overlap.
                            tx.markProcessed(A, TG, "w" + writer + "-" + n, T0);
                            return null;
                        });
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            done.set(true);
            assertThat(reader.get(60, TimeUnit.SECONDS)).isEqualTo((long) writers * perWriter);
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
        assertThat(problems).isEmpty();
    }

    // ---- quarantine and choice maps --------------------------------------------------------------------------

    @Test
    void quarantineKeepsRawBytesIncludingInvalidUtf8() {
        byte[] invalidUtf8 = {'{', '"', 'a', '"', ':', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, 0, '}'};
        RejectedInput first = new RejectedInput(TG, Optional.of("upd-1"), invalidUtf8, "invalid UTF-8", T0);
        RejectedInput second = new RejectedInput(MAIL, Optional.empty(), new byte[0], "empty body", T0.plusSeconds(1));
        QuarantineEntry q1 = tx(tx -> tx.quarantine(A, first));
        QuarantineEntry q2 = tx(tx -> tx.quarantine(A, second));
        tx(tx -> tx.quarantine(B, first));
        assertThat(q1.id()).isNotEqualTo(q2.id());
        List<QuarantineEntry> listed = tx(tx -> tx.quarantined(A, 10));
        assertThat(listed).containsExactly(q2, q1);
        assertThat(listed.get(1).input().raw()).isEqualTo(invalidUtf8);
        assertThat(this.<List<QuarantineEntry>>tx(tx -> tx.quarantined(A, 1))).containsExactly(q2);
    }

    @Test
    void choiceMapsRoundTripPerTenantAndConversation() {
        ChoiceMap map = new ChoiceMap(Map.of("1", "yes", "2", "no"));
        run(tx -> {
            tx.saveChoiceMap(A, ConversationId.of("k1"), new ChoiceMap(Map.of("1", "old")));
            tx.saveChoiceMap(A, ConversationId.of("k1"), map);
        });
        run(tx -> {
            assertThat(tx.choiceMap(A, ConversationId.of("k1"))).contains(map);
            assertThat(tx.choiceMap(A, ConversationId.of("k1")).orElseThrow().resolve(" 2.")).contains("no");
            assertThat(tx.choiceMap(B, ConversationId.of("k1"))).isEmpty();
            assertThat(tx.choiceMap(A, ConversationId.of("k2"))).isEmpty();
        });
    }

    // ---- group-committed ingest (prefetchInbound) ------------------------------------------------------------

    private static dev.switchboard.channel.InboundEvent inbound(String eventId, String user, String platformId) {
        return dev.switchboard.channel.InboundEvent.MessageReceived.of(eventId, ChannelAccount.of(A, TG, user,
                Profile.named("User " + user)), T0, platformId, Content.text("hi " + eventId));
    }

    @Test
    void aTransactionGivenThePrefetchHintReadsExactlyWhatTheDatabaseHoldsAndWhatItWroteItself() {
        Message m1 = message(A, "m1", "k1", "c1", TG, Direction.INBOUND, Optional.of("p1"));
        ChoiceMap map = new ChoiceMap(Map.of("1", "yes", "2", "no"));
        run(tx -> {
            tx.saveCustomer(customer(A, "c1", "u1"));
            tx.saveConversation(conversation(A, "k1", "c1", T0));
            tx.saveMessage(m1);
            tx.saveChoiceMap(A, ConversationId.of("k1"), map);
            assertThat(tx.markProcessed(A, TG, "e1", T0)).isTrue();
        });
        Message m2 = message(A, "m2", "k1", "c1", TG, Direction.INBOUND, Optional.of("p2"));
        Conversation touched = conversation(A, "k1", "c1", T0).withInbound(TG, T0.plusSeconds(5));
        Customer created = customer(A, "c2", "u2");
        ContactPoint phone = new ContactPoint(ContactPoint.Kind.PHONE, "+79161234567");
        run(tx -> {
            tx.prefetchInbound(A, TG, List.of(inbound("e1", "u1", "p1"), inbound("e2", "u2", "p2"),
                    inbound("e3", "u1", "p3"), inbound("e2", "u2", "p2")));
            // what was committed before
            assertThat(tx.markProcessed(A, TG, "e1", T0)).isFalse();
            assertThat(tx.customerByAccount(new AccountKey(A, TG, "u1"))).contains(CustomerId.of("c1"));
            assertThat(tx.customerByAccount(new AccountKey(A, TG, "u2"))).isEmpty();
            assertThat(tx.messageByPlatformId(A, TG, "p1")).contains(m1);
            assertThat(tx.messageByPlatformId(A, TG, "p2")).isEmpty();
            assertThat(tx.conversationsOf(A, Set.of(CustomerId.of("c1")))).containsExactly(conversation(A, "k1", "c1", T0));
            assertThat(tx.choiceMap(A, ConversationId.of("k1"))).contains(map);
            assertThat(tx.mergesOf(A, CustomerId.of("c1"))).isEmpty();
            // its own writes, before anything is flushed
            assertThat(tx.markProcessed(A, TG, "e2", T0)).isTrue();
            assertThat(tx.markProcessed(A, TG, "e2", T0)).as("the same event twice in one group").isFalse();
            tx.saveCustomer(created);
            assertThat(tx.customerByAccount(new AccountKey(A, TG, "u2"))).contains(CustomerId.of("c2"));
            assertThat(tx.customer(A, CustomerId.of("c2"))).contains(created);
            tx.saveMessage(m2);
            assertThat(tx.messageByPlatformId(A, TG, "p2")).contains(m2);
            tx.saveConversation(touched);
            assertThat(tx.conversation(A, ConversationId.of("k1"))).contains(touched);
            assertThat(tx.conversationsOf(A, Set.of(CustomerId.of("c1"), CustomerId.of("c2")))).containsExactly(touched);
            // reads the hint did not cover see the held writes too
            assertThat(tx.messages(A, ConversationId.of("k1"))).containsExactly(m1, m2);
            tx.saveCustomer(created.withContacts(List.of(contact(phone)), T0));
            assertThat(tx.customersByContact(A, phone)).containsExactly(CustomerId.of("c2"));
            assertThat(tx.markProcessed(A, TG, "e4", T0)).as("an event outside the hint").isTrue();
        });
        run(tx -> {
            assertThat(tx.markProcessed(A, TG, "e2", T0)).isFalse();
            assertThat(tx.markProcessed(A, TG, "e4", T0)).isFalse();
            assertThat(tx.markProcessed(A, TG, "e3", T0)).isTrue();
            assertThat(tx.messages(A, ConversationId.of("k1"))).containsExactly(m1, m2);
            assertThat(tx.conversation(A, ConversationId.of("k1"))).contains(touched);
            assertThat(tx.customerByAccount(new AccountKey(A, TG, "u2"))).contains(CustomerId.of("c2"));
            assertThat(tx.customersByContact(A, phone)).containsExactly(CustomerId.of("c2"));
            assertThat(tx.customer(A, CustomerId.of("c2")).orElseThrow().contacts()).hasSize(1);
        });
    }

    @Test
    void aNewCustomerWrittenAfterThePrefetchHintIsIndexedLikeAnyOtherAndKeepsItsNameKeys() {
        Customer created = customer(A, "c9", "u9");
        run(tx -> {
            tx.prefetchInbound(A, TG, List.of(inbound("e9", "u9", "p9")));
            assertThat(tx.customerByAccount(new AccountKey(A, TG, "u9"))).isEmpty();
            tx.saveCustomer(created);
            tx.saveNameKeys(A, CustomerId.of("c9"), Set.of("an", "nastya"));
            Conversation opened = conversation(A, "k9", "c9", T0);
            tx.saveConversation(opened);
            assertThat(tx.choiceMap(A, ConversationId.of("k9"))).isEmpty();
            assertThat(tx.conversationsOf(A, Set.of(CustomerId.of("c9")))).containsExactly(opened);
        });
        run(tx -> {
            assertThat(tx.customer(A, CustomerId.of("c9"))).contains(created);
            assertThat(tx.customerByAccount(new AccountKey(A, TG, "u9"))).contains(CustomerId.of("c9"));
            assertThat(tx.customersByNameKey(A, "nastya")).containsExactly(CustomerId.of("c9"));
            assertThat(tx.conversationsOf(A, Set.of(CustomerId.of("c9")))).hasSize(1);
        });
        ContactPoint mail = new ContactPoint(ContactPoint.Kind.EMAIL, "ann@example.com");
        Customer merged = customer(A, "c11", "u11").withContacts(List.of(contact(mail)), T0);
        run(tx -> {
            tx.prefetchInbound(A, TG, List.of(inbound("e11", "u11", "p11")));
            tx.saveCustomer(merged);
            tx.saveCustomer(merged.with(merged.displayName(), merged.language(), merged.accounts(), merged.contacts(),
                    merged.attributes(), merged.preferences(), merged.conflicts(), Optional.of(CustomerId.of("c9")),
                    T0));
        });
        run(tx -> {
            assertThat(tx.customer(A, CustomerId.of("c11")).orElseThrow().mergedInto()).contains(CustomerId.of("c9"));
            assertThat(tx.customersByContact(A, mail)).as("a tombstone holds no contact points").isEmpty();
        });
        assertThatThrownBy(() -> run(tx -> {
            tx.prefetchInbound(A, TG, List.of(inbound("e10", "u10", "p10")));
            tx.saveCustomer(customer(A, "c10", "u9", "u10"));
        })).as("an account another customer owns is still a duplicate key").isInstanceOf(DuplicateKeyException.class);
    }

    // ---- leases ----------------------------------------------------------------------------------------------

    @Test
    void aLeaseHasOneHolderUntilReleased() {
        Optional<Lease> first = store.tryAcquireLease("poll:telegram-main", "node-1");
        assertThat(first).isPresent();
        assertThat(first.get().name()).isEqualTo("poll:telegram-main");
        assertThat(first.get().isHeld()).isTrue();
        assertThat(store.tryAcquireLease("poll:telegram-main", "node-2")).isEmpty();
        Optional<Lease> other = store.tryAcquireLease("poll:email-support", "node-2");
        assertThat(other).isPresent();
        first.get().release();
        assertThat(first.get().isHeld()).isFalse();
        Optional<Lease> second = store.tryAcquireLease("poll:telegram-main", "node-2");
        assertThat(second).isPresent();
        assertThat(second.get().isHeld()).isTrue();
        second.get().close();
        other.get().close();
    }
}
