package dev.switchboard.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.content.Content;
import dev.switchboard.identity.IndexedName;
import dev.switchboard.identity.MergeSuggestion;
import dev.switchboard.identity.SuggestionId;
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
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.Message;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.store.DuplicateKeyException;
import dev.switchboard.store.Page;
import dev.switchboard.store.PageRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryStoreTest {

    private static final TenantId T1 = TenantId.of("t1");
    private static final TenantId T2 = TenantId.of("t2");
    private static final ChannelId TG = ChannelId.of("telegram");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ContactPoint PHONE = new ContactPoint(ContactPoint.Kind.PHONE, "+79161234567");

    private final InMemoryStore store = new InMemoryStore();

    private static Customer customer(TenantId t, String id, String account) {
        AccountKey key = new AccountKey(t, TG, account);
        return Customer.create(t, CustomerId.of(id), T0)
                .withAccounts(List.of(new LinkedAccount(new ChannelAccount(key, Profile.EMPTY), "test", T0, false)), T0)
                .withContacts(List.of(new CustomerContact(PHONE, true, "test", T0, Optional.of(key))), T0);
    }

    private static Message message(TenantId t, String id, String conv, String customer, String platformId,
                                   Direction dir) {
        return new Message(t, MessageId.of(id), ConversationId.of(conv), CustomerId.of(customer), TG, dir,
                new AccountKey(t, TG, "u-" + customer), Optional.empty(), Content.text("hi " + id),
                Optional.ofNullable(platformId), DeliveryStatus.values()[0], Optional.empty(), T0, T0);
    }

    @Test
    void nameIndexKeepsEachFormAndRollsItBack() {
        Customer c = customer(T1, "c1", "100");
        store.inTransaction(tx -> {
            tx.saveCustomer(c.with(Optional.of("Анна Петрова"), c.language(), c.accounts(), c.contacts(),
                    c.attributes(), c.preferences(), c.conflicts(), c.mergedInto(), T0));
            tx.saveNameKeys(T1, c.id(), Set.of("n:a|ptrv")); // keys only: the store derives the form from the name
            return null;
        });
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.saveNameKeys(T1, c.id(), Set.of("n:a|ptrv", "n:a|x"), "ana petrova x");
            assertThat(tx.indexedNames(T1, "n:a|ptrv")).containsExactly(new IndexedName(c.id(), "ana petrova x"));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        store.inTransaction(tx -> {
            assertThat(tx.indexedNames(T1, "n:a|ptrv")).containsExactly(new IndexedName(c.id(), "ana petrova"));
            assertThat(tx.indexedNames(T1, "n:a|x")).isEmpty();
            assertThat(tx.customersByNameKey(T1, "n:a|ptrv")).containsExactly(c.id());
            return null;
        });
    }

    @Test
    void expectedCustomersOnlySizesTheIndexes() {
        InMemoryStore sized = new InMemoryStore(1_000);
        sized.inTransaction(tx -> {
            tx.saveCustomer(customer(T1, "c1", "100"));
            tx.saveCustomer(customer(T2, "c1", "100"));
            tx.saveNameKeys(T1, CustomerId.of("c1"), Set.of("n:a|b"), "a b");
            return null;
        });
        sized.inTransaction(tx -> {
            assertThat(tx.customerByAccount(new AccountKey(T1, TG, "100"))).contains(CustomerId.of("c1"));
            assertThat(tx.customersByContact(T2, PHONE)).containsExactly(CustomerId.of("c1"));
            assertThat(tx.indexedNames(T1, "n:a|b")).containsExactly(new IndexedName(CustomerId.of("c1"), "a b"));
            assertThat(tx.indexedNames(T2, "n:a|b")).isEmpty();
            return null;
        });
        assertThatThrownBy(() -> new InMemoryStore(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expectedCustomers").hasMessageContaining("-1");
        assertThatThrownBy(() -> new InMemoryStore(100_000_001)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rollbackRestoresEveryIndex() {
        store.inTransaction(tx -> {
            tx.saveCustomer(customer(T1, "c1", "100"));
            return null;
        });
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            Customer c = tx.customer(T1, CustomerId.of("c1")).orElseThrow();
            tx.saveCustomer(c.withAccounts(List.of(), T0).withContacts(List.of(), T0));
            tx.saveCustomer(customer(T1, "c2", "100"));
            tx.saveNameKeys(T1, CustomerId.of("c2"), Set.of("n:a|b"));
            tx.markAmbiguous(T1, PHONE);
            tx.markDistinct(T1, CustomerId.of("c1"), CustomerId.of("c2"));
            tx.saveConversation(Conversation.open(T1, ConversationId.of("v1"), CustomerId.of("c2"), TG, T0));
            tx.saveMessage(message(T1, "m1", "v1", "c2", "p1", Direction.INBOUND));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        store.inTransaction(tx -> {
            assertThat(tx.customerByAccount(new AccountKey(T1, TG, "100"))).contains(CustomerId.of("c1"));
            assertThat(tx.customer(T1, CustomerId.of("c2"))).isEmpty();
            assertThat(tx.customer(T1, CustomerId.of("c1"))).contains(customer(T1, "c1", "100"));
            assertThat(tx.customersByContact(T1, PHONE)).containsExactly(CustomerId.of("c1"));
            assertThat(tx.customersByNameKey(T1, "n:a|b")).isEmpty();
            assertThat(tx.indexedNames(T1, "n:a|b")).isEmpty();
            assertThat(tx.isAmbiguous(T1, PHONE)).isFalse();
            assertThat(tx.areDistinct(T1, CustomerId.of("c1"), CustomerId.of("c2"))).isFalse();
            assertThat(tx.conversation(T1, ConversationId.of("v1"))).isEmpty();
            assertThat(tx.messageByPlatformId(T1, TG, "p1")).isEmpty();
            assertThat(tx.conversations(ConversationQuery.all(T1, 10)).items()).isEmpty();
            return null;
        });
    }

    @Test
    void wrapperUndoActionsRunOnRollbackInReverseOrder() {
        List<String> log = new ArrayList<>();
        assertThatThrownBy(() -> store.inTx(tx -> {
            tx.onRollback(() -> log.add("first"));
            tx.saveCustomer(customer(T1, "c1", "1"));
            tx.onRollback(() -> log.add("second"));
            throw new IllegalArgumentException("no");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(log).containsExactly("second", "first");
        store.inTx(tx -> {
            tx.onRollback(() -> log.add("never"));
            return null;
        });
        assertThat(log).containsExactly("second", "first");
    }

    /** A wrapping store's transaction: the base store's own, plus a table of its own kept by the same undo log. */
    private static final class NotesTx extends InMemoryStore.Tx {
        private final List<String> notes;

        NotesTx(InMemoryStore store, List<String> notes) {
            store.super();
            this.notes = notes;
        }

        void note(String note) {
            notes.add(note);
            onRollback(() -> notes.remove(notes.size() - 1));
        }
    }

    @Test
    void anExtendedTransactionKeepsItsOwnTableInStepWithTheBaseStore() {
        List<String> notes = new ArrayList<>();
        assertThatThrownBy(() -> store.inTransaction(s -> new NotesTx(s, notes), tx -> {
            tx.saveCustomer(customer(T1, "c1", "1"));
            tx.note("c1 created");
            throw new IllegalArgumentException("no");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(notes).isEmpty();
        Optional<Customer> rolledBack = store.inTransaction(tx -> tx.customer(T1, CustomerId.of("c1")));
        assertThat(rolledBack).isEmpty();

        store.inTransaction(s -> new NotesTx(s, notes), tx -> {
            tx.saveCustomer(customer(T1, "c1", "1"));
            tx.note("c1 created");
            // plain work nested in the extended transaction joins it
            return store.inTransaction(plain -> plain.customer(T1, CustomerId.of("c1")).orElseThrow());
        });
        assertThat(notes).containsExactly("c1 created");
        Optional<Customer> committed = store.inTransaction(tx -> tx.customer(T1, CustomerId.of("c1")));
        assertThat(committed).isPresent();
    }

    @Test
    void anExtendedTransactionCannotJoinAPlainOne() {
        List<String> notes = new ArrayList<>();
        assertThatThrownBy(() -> store.inTransaction(plain ->
                store.inTransaction(s -> new NotesTx(s, notes), tx -> null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("NotesTx");
        InMemoryStore other = new InMemoryStore();
        assertThatThrownBy(() -> store.inTransaction(s -> new NotesTx(other, notes), tx -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("this store");
    }

    @Test
    void accountsAreUniqueAmongLiveCustomers() {
        store.inTransaction(tx -> {
            tx.saveCustomer(customer(T1, "c1", "100"));
            return null;
        });
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.saveCustomer(customer(T1, "c2", "100"));
            return null;
        })).isInstanceOf(DuplicateKeyException.class).hasMessageContaining("c1");
        // once c1 is merged away, its old account may be taken over
        store.inTransaction(tx -> {
            Customer c1 = tx.customer(T1, CustomerId.of("c1")).orElseThrow();
            tx.saveCustomer(c1.with(c1.displayName(), c1.language(), c1.accounts(), List.of(), c1.attributes(),
                    c1.preferences(), c1.conflicts(), Optional.of(CustomerId.of("c2")), T0));
            tx.saveCustomer(customer(T1, "c2", "100"));
            assertThat(tx.customerByAccount(new AccountKey(T1, TG, "100"))).contains(CustomerId.of("c2"));
            assertThat(tx.customersByContact(T1, PHONE)).containsExactly(CustomerId.of("c2"));
            return null;
        });
    }

    @Test
    void tenantsNeverSeeEachOther() {
        store.inTransaction(tx -> {
            tx.saveCustomer(customer(T1, "c1", "100"));
            tx.saveCustomer(customer(T2, "c1", "100"));
            tx.markAmbiguous(T1, PHONE);
            tx.saveNameKeys(T1, CustomerId.of("c1"), Set.of("k"));
            tx.saveMessage(message(T1, "m1", "v1", "c1", "p1", Direction.INBOUND));
            tx.saveMessage(message(T2, "m1", "v1", "c1", "p1", Direction.INBOUND));
            return null;
        });
        store.inTransaction(tx -> {
            assertThat(tx.customersByContact(T1, PHONE)).containsExactly(CustomerId.of("c1"));
            assertThat(tx.customersByContact(TenantId.of("t3"), PHONE)).isEmpty();
            assertThat(tx.isAmbiguous(T2, PHONE)).isFalse();
            assertThat(tx.customersByNameKey(T2, "k")).isEmpty();
            assertThat(tx.customer(T2, CustomerId.of("c1")).orElseThrow().tenant()).isEqualTo(T2);
            assertThat(tx.messageByPlatformId(T2, TG, "p1").orElseThrow().tenant()).isEqualTo(T2);
            assertThat(tx.timeline(T1, Set.of(CustomerId.of("c1")), PageRequest.first(10)).items())
                    .extracting(Message::tenant).containsExactly(T1);
            return null;
        });
    }

    @Test
    void platformMessageIdsAreUniquePerChannelAndDirection() {
        store.inTransaction(tx -> {
            tx.saveMessage(message(T1, "m1", "v1", "c1", "p1", Direction.INBOUND));
            tx.saveMessage(message(T1, "m2", "v1", "c1", "p1", Direction.OUTBOUND));
            tx.saveMessage(message(T1, "m1", "v1", "c1", "p1", Direction.INBOUND)); // replacing itself is fine
            return null;
        });
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.saveMessage(message(T1, "m3", "v1", "c1", "p1", Direction.INBOUND));
            return null;
        })).isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void messagesKeepStorageOrderAndTimelinePagesAcrossCustomers() {
        store.inTransaction(tx -> {
            for (int i = 0; i < 10; i++) {
                String customer = i % 2 == 0 ? "a" : "b";
                tx.saveMessage(message(T1, "m" + i, "v-" + customer, customer, "p" + i, Direction.INBOUND));
            }
            tx.saveMessage(message(T1, "x", "v-c", "c", "px", Direction.INBOUND));
            return null;
        });
        store.inTransaction(tx -> {
            assertThat(tx.messages(T1, ConversationId.of("v-a"))).extracting(m -> m.id().value())
                    .containsExactly("m0", "m2", "m4", "m6", "m8");
            List<String> seen = new ArrayList<>();
            PageRequest page = PageRequest.first(3);
            int pages = 0;
            while (true) {
                Page<Message> p = tx.timeline(T1, Set.of(CustomerId.of("a"), CustomerId.of("b")), page);
                pages++;
                p.items().forEach(m -> seen.add(m.id().value()));
                if (p.nextCursor().isEmpty()) {
                    break;
                }
                page = page.after(p.nextCursor().get());
            }
            assertThat(seen).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
            assertThat(pages).isEqualTo(4);
            return null;
        });
    }

    @Test
    void conversationQueryFiltersAndPagesNewestActivityFirst() {
        store.inTransaction(tx -> {
            for (int i = 0; i < 7; i++) {
                Conversation c = Conversation.open(T1, ConversationId.of("v" + i), CustomerId.of("c" + i),
                        i % 2 == 0 ? TG : ChannelId.of("email"), T0.plusSeconds(i));
                if (i == 3) {
                    c = c.withStatus(ConversationStatus.RESOLVED, T0.plusSeconds(i));
                }
                if (i >= 4) {
                    c = c.withAssignee("agent-1", T0.plusSeconds(i));
                }
                tx.saveConversation(c);
            }
            // activity moves v0 to the top
            tx.saveConversation(tx.conversation(T1, ConversationId.of("v0")).orElseThrow()
                    .withInbound(TG, T0.plusSeconds(100)));
            return null;
        });
        store.inTransaction(tx -> {
            List<String> ids = new ArrayList<>();
            ConversationQuery q = ConversationQuery.builder(T1).status(ConversationStatus.OPEN).limit(2).build();
            while (true) {
                Page<Conversation> p = tx.conversations(q);
                p.items().forEach(c -> ids.add(c.id().value()));
                if (p.nextCursor().isEmpty()) {
                    break;
                }
                q = q.withPage(q.page().after(p.nextCursor().get()));
            }
            assertThat(ids).containsExactly("v0", "v6", "v5", "v4", "v2", "v1");
            Page<Conversation> mine = tx.conversations(ConversationQuery.builder(T1).assignee("agent-1").channel(TG)
                    .limit(10).build());
            assertThat(mine.items()).extracting(c -> c.id().value()).containsExactly("v6", "v4");
            assertThat(tx.conversationsOf(T1, Set.of(CustomerId.of("c1"), CustomerId.of("c0"))))
                    .extracting(c -> c.id().value()).containsExactly("v0", "v1");
            assertThat(tx.conversations(ConversationQuery.all(T2, 10)).items()).isEmpty();
            return null;
        });
    }

    @Test
    void transactionsAreSerialized() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    store.inTransaction(tx -> {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        tx.isAmbiguous(T1, PHONE);
                        inside.decrementAndGet();
                        return null;
                    });
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertThat(maxInside.get()).isEqualTo(1);
    }

    private static MergeSuggestion suggestion(String id, String a, String b, double score, Instant at) {
        return new MergeSuggestion(T1, new SuggestionId(id), CustomerId.of(a), CustomerId.of(b), score,
                List.of("test"), MergeSuggestion.Status.OPEN, at, Optional.empty(), Optional.empty());
    }

    @Test
    void openSuggestionsComeHighestScoreFirstThenOldestThenById() {
        store.inTransaction(tx -> {
            tx.saveSuggestion(suggestion("s3", "a", "b", 0.8, T0.plusSeconds(2)));
            tx.saveSuggestion(suggestion("s1", "a", "c", 0.9, T0.plusSeconds(5)));
            tx.saveSuggestion(suggestion("s4", "b", "c", 0.8, T0.plusSeconds(1)));
            tx.saveSuggestion(suggestion("s2", "c", "d", 0.8, T0.plusSeconds(1)));
            return null;
        });
        // read, then write more: later writes are merged into the order established by the first read
        assertThat(ids(2)).containsExactly("s1", "s2");
        store.inTransaction(tx -> {
            tx.saveSuggestion(suggestion("s0", "d", "e", 0.85, T0));
            MergeSuggestion s2 = tx.suggestion(T1, new SuggestionId("s2")).orElseThrow();
            tx.saveSuggestion(s2.decided(MergeSuggestion.Status.REJECTED, "agent", T0));
            return null;
        });
        assertThat(ids(10)).containsExactly("s1", "s0", "s4", "s3");
        assertThat(ids(0)).isEmpty();
    }

    @Test
    void rolledBackSuggestionChangesLeaveTheOpenListAsItWas() {
        store.inTransaction(tx -> {
            tx.saveSuggestion(suggestion("s1", "a", "b", 0.8, T0));
            tx.saveSuggestion(suggestion("s2", "a", "c", 0.9, T0));
            return null;
        });
        assertThat(ids(10)).containsExactly("s2", "s1");
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.saveSuggestion(tx.suggestion(T1, new SuggestionId("s2")).orElseThrow()
                    .decided(MergeSuggestion.Status.ACCEPTED, "agent", T0));
            tx.saveSuggestion(suggestion("s3", "b", "c", 0.95, T0));
            assertThat(tx.openSuggestions(T1, 10)).extracting(s -> s.id().value()).containsExactly("s3", "s1");
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(ids(10)).containsExactly("s2", "s1");
        store.inTransaction(tx -> {
            assertThat(tx.suggestion(T1, new SuggestionId("s3"))).isEmpty();
            assertThat(tx.suggestionsOf(T1, CustomerId.of("a"))).extracting(s -> s.id().value())
                    .containsExactly("s2", "s1");
            return null;
        });
    }

    private List<String> ids(int limit) {
        return store.inTransaction(tx -> tx.openSuggestions(T1, limit).stream().map(s -> s.id().value()).toList());
    }

    @Test
    void resavingACustomerReindexesOnlyWhatChanged() {
        ContactPoint mail = new ContactPoint(ContactPoint.Kind.EMAIL, "a@example.com");
        AccountKey second = new AccountKey(T1, TG, "200");
        store.inTransaction(tx -> {
            tx.saveCustomer(customer(T1, "c1", "100"));
            tx.saveCustomer(customer(T1, "c2", "300"));
            return null;
        });
        store.inTransaction(tx -> {
            Customer c1 = tx.customer(T1, CustomerId.of("c1")).orElseThrow();
            // swap the phone for an email, keep account 100 and add account 200
            tx.saveCustomer(c1.withContacts(List.of(new CustomerContact(mail, false, "test", T0, Optional.empty())), T0)
                    .withAccounts(List.of(c1.accounts().get(0),
                            new LinkedAccount(new ChannelAccount(second, Profile.EMPTY), "test", T0, false)), T0));
            return null;
        });
        store.inTransaction(tx -> {
            assertThat(tx.customersByContact(T1, PHONE)).containsExactly(CustomerId.of("c2"));
            assertThat(tx.customersByContact(T1, mail)).containsExactly(CustomerId.of("c1"));
            assertThat(tx.customerByAccount(new AccountKey(T1, TG, "100"))).contains(CustomerId.of("c1"));
            assertThat(tx.customerByAccount(second)).contains(CustomerId.of("c1"));
            // a tombstone holds no contact points, and a customer coming back from one is indexed again
            Customer c2 = tx.customer(T1, CustomerId.of("c2")).orElseThrow();
            Customer tomb = c2.with(c2.displayName(), c2.language(), c2.accounts(), c2.contacts(), c2.attributes(),
                    c2.preferences(), c2.conflicts(), Optional.of(CustomerId.of("c1")), T0);
            tx.saveCustomer(tomb);
            assertThat(tx.customersByContact(T1, PHONE)).isEmpty();
            tx.saveCustomer(c2);
            assertThat(tx.customersByContact(T1, PHONE)).containsExactly(CustomerId.of("c2"));
            return null;
        });
    }

    @Test
    void aPointGoesFromOneHolderToSeveralAndBackThroughSavesAndRollbacks() {
        store.inTransaction(tx -> {
            tx.saveCustomer(customer(T1, "c1", "100"));
            return null;
        });
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.saveCustomer(customer(T1, "c2", "200"));
            tx.saveCustomer(customer(T1, "c3", "300"));
            assertThat(tx.customersByContact(T1, PHONE)).extracting(CustomerId::value)
                    .containsExactly("c1", "c2", "c3");
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        store.inTransaction(tx -> {
            assertThat(tx.customersByContact(T1, PHONE)).containsExactly(CustomerId.of("c1"));
            tx.saveCustomer(customer(T1, "c2", "200"));
            return null;
        });
        store.inTransaction(tx -> {
            Customer c1 = tx.customer(T1, CustomerId.of("c1")).orElseThrow();
            Set<CustomerId> both = tx.customersByContact(T1, PHONE);
            tx.saveCustomer(c1.withContacts(List.of(), T0)); // c1 lets the phone go: c2 is its lone holder
            assertThat(both).extracting(CustomerId::value).containsExactly("c1", "c2"); // a snapshot
            assertThat(tx.customersByContact(T1, PHONE)).containsExactly(CustomerId.of("c2"));
            Customer c2 = tx.customer(T1, CustomerId.of("c2")).orElseThrow();
            tx.saveCustomer(c2.withContacts(List.of(), T0));
            assertThat(tx.customersByContact(T1, PHONE)).isEmpty();
            tx.saveCustomer(c2);
            tx.saveCustomer(c2); // saving the same holder again keeps one entry
            assertThat(tx.customersByContact(T1, PHONE)).containsExactly(CustomerId.of("c2"));
            return null;
        });
    }

    @Test
    void indexLookupsAreSnapshotsInInsertionOrder() {
        store.inTransaction(tx -> {
            for (String id : List.of("c5", "c1", "c9", "c3")) {
                tx.saveNameKeys(T1, CustomerId.of(id), Set.of("n:a|b"));
            }
            Set<CustomerId> before = tx.customersByNameKey(T1, "n:a|b");
            tx.saveNameKeys(T1, CustomerId.of("c1"), Set.of());
            assertThat(before).extracting(CustomerId::value).containsExactly("c5", "c1", "c9", "c3");
            assertThat(tx.customersByNameKey(T1, "n:a|b")).extracting(CustomerId::value)
                    .containsExactly("c5", "c9", "c3");
            assertThatThrownBy(() -> before.add(CustomerId.of("x"))).isInstanceOf(UnsupportedOperationException.class);
            return null;
        });
    }

    @Test
    void aGrowingNameBucketLeavesEarlierLookupsAsTheyWere() {
        store.inTransaction(tx -> {
            tx.saveNameKeys(T1, CustomerId.of("c1"), Set.of("n:a|b"), "a b");
            tx.saveNameKeys(T1, CustomerId.of("c2"), Set.of("n:a|b"), "aa bb");
            tx.saveNameKeys(T1, CustomerId.of("c3"), Set.of("n:a|b"), "aaa bbb");
            return null;
        });
        List<IndexedName> three = store.inTransaction(tx -> tx.indexedNames(T1, "n:a|b"));
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.saveNameKeys(T1, CustomerId.of("c4"), Set.of("n:a|b"), "a bbbb"); // written into spare room
            tx.saveNameKeys(T1, CustomerId.of("c2"), Set.of()); // out of the middle
            assertThat(tx.indexedNames(T1, "n:a|b")).extracting(IndexedName::form)
                    .containsExactly("a b", "aaa bbb", "a bbbb");
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        store.inTransaction(tx -> {
            tx.saveNameKeys(T1, CustomerId.of("c5"), Set.of("n:a|b"), "ab c");
            return null;
        });
        assertThat(three).extracting(IndexedName::form).containsExactly("a b", "aa bb", "aaa bbb");
        store.inTransaction(tx -> {
            assertThat(tx.indexedNames(T1, "n:a|b")).containsExactly(new IndexedName(CustomerId.of("c1"), "a b"),
                    new IndexedName(CustomerId.of("c2"), "aa bb"), new IndexedName(CustomerId.of("c3"), "aaa bbb"),
                    new IndexedName(CustomerId.of("c5"), "ab c"));
            assertThat(tx.customersByNameKey(T1, "n:a|b")).extracting(CustomerId::value)
                    .containsExactly("c1", "c2", "c3", "c5");
            return null;
        });
    }

    @Test
    void appendingToAnOlderVersionOfANameBucketCopiesInsteadOfWritingOverANewerOne() {
        InMemoryStore.NameBucket one = InMemoryStore.NameBucket.of(CustomerId.of("a"), "x");
        InMemoryStore.NameBucket two = one.append(CustomerId.of("b"), "yy"); // grows into room of its own
        InMemoryStore.NameBucket three = two.append(CustomerId.of("c"), "zzz"); // fills two's spare room
        InMemoryStore.NameBucket other = two.append(CustomerId.of("d"), "w"); // that slot is taken: must copy
        assertThat(three.names()).extracting(IndexedName::form).containsExactly("x", "yy", "zzz");
        assertThat(other.names()).extracting(n -> n.customer().value() + "=" + n.form())
                .containsExactly("a=x", "b=yy", "d=w");
        assertThat(two.names()).hasSize(2);
        assertThat(one.without(CustomerId.of("a")).isEmpty()).isTrue();
        assertThat(three.without(CustomerId.of("b")).names()).extracting(IndexedName::form).containsExactly("x", "zzz");
        assertThatThrownBy(() -> two.names().get(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aHolderSetGrowsInPlaceWithoutChangingEarlierLookups() {
        store.inTransaction(tx -> {
            for (String id : List.of("c1", "c2", "c3")) {
                tx.saveCustomer(customer(T1, id, "a-" + id));
            }
            return null;
        });
        Set<CustomerId> three = store.inTransaction(tx -> tx.customersByContact(T1, PHONE));
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.saveCustomer(customer(T1, "c4", "a-c4")); // into the spare slot of the set `three` sees
            tx.saveCustomer(customer(T1, "c5", "a-c5"));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        store.inTransaction(tx -> {
            Customer twice = customer(T1, "c6", "a-c6");
            tx.saveCustomer(twice.withContacts(List.of(twice.contacts().get(0), twice.contacts().get(0)), T0));
            return null;
        });
        assertThat(three).extracting(CustomerId::value).containsExactly("c1", "c2", "c3");
        store.inTransaction(tx -> {
            assertThat(tx.customersByContact(T1, PHONE)).extracting(CustomerId::value)
                    .containsExactly("c1", "c2", "c3", "c6");
            return null;
        });
    }

    @Test
    void appendingToAnOlderVersionOfAHolderSetCopiesInsteadOfWritingOverANewerOne() {
        InMemoryStore.IdSet three = InMemoryStore.IdSet.of(CustomerId.of("a")).append(CustomerId.of("b"))
                .append(CustomerId.of("c")); // room for four
        InMemoryStore.IdSet four = three.append(CustomerId.of("d")); // written in place
        InMemoryStore.IdSet other = three.append(CustomerId.of("e")); // the slot is taken: copies
        assertThat(four).extracting(CustomerId::value).containsExactly("a", "b", "c", "d");
        assertThat(other).extracting(CustomerId::value).containsExactly("a", "b", "c", "e");
        assertThat(three).hasSize(3).doesNotContain(CustomerId.of("d"));
        assertThat(four.without(CustomerId.of("b"))).extracting(CustomerId::value).containsExactly("a", "c", "d");
        assertThat(InMemoryStore.IdSet.of(CustomerId.of("a")).without(CustomerId.of("a"))).isEmpty();
    }

    @Test
    void savedSuggestionVersionsAreListedInPlaceAndRollBack() {
        store.inTransaction(tx -> {
            tx.saveSuggestion(suggestion("s1", "a", "b", 0.8, T0));
            tx.saveSuggestion(suggestion("s2", "a", "c", 0.9, T0));
            return null;
        });
        store.inTransaction(tx -> {
            tx.saveSuggestion(tx.suggestion(T1, new SuggestionId("s1")).orElseThrow()
                    .decided(MergeSuggestion.Status.REJECTED, "agent", T0));
            return null;
        });
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.saveSuggestion(tx.suggestion(T1, new SuggestionId("s2")).orElseThrow()
                    .decided(MergeSuggestion.Status.ACCEPTED, "agent", T0));
            assertThat(tx.suggestionsOf(T1, CustomerId.of("c"))).extracting(MergeSuggestion::status)
                    .containsExactly(MergeSuggestion.Status.ACCEPTED);
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        store.inTransaction(tx -> {
            // newest first, each in its current version, under both customers
            assertThat(tx.suggestionsOf(T1, CustomerId.of("a"))).extracting(s -> s.id().value() + ":" + s.status())
                    .containsExactly("s2:OPEN", "s1:REJECTED");
            assertThat(tx.suggestionsOf(T1, CustomerId.of("b"))).extracting(MergeSuggestion::status)
                    .containsExactly(MergeSuggestion.Status.REJECTED);
            assertThat(tx.suggestionsOf(T1, CustomerId.of("c"))).extracting(MergeSuggestion::status)
                    .containsExactly(MergeSuggestion.Status.OPEN);
            return null;
        });
    }

    @Test
    void transactionCannotBeUsedAfterItEnds() {
        InMemoryStore.Transaction leaked = store.inTx(tx -> tx);
        assertThatThrownBy(() -> leaked.customer(T1, CustomerId.of("c1"))).isInstanceOf(IllegalStateException.class);
    }
}
