package dev.switchboard.inbox.jdbc;

import dev.switchboard.identity.IndexedName;
import dev.switchboard.identity.MergeId;
import dev.switchboard.identity.MergeRecord;
import dev.switchboard.identity.MergeSuggestion;
import dev.switchboard.identity.NameMatcher;
import dev.switchboard.identity.SuggestionId;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerContact;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.LinkedAccount;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.DuplicateKeyException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Customers and identity within one transaction: customer rows with the account, contact point and name key indexes
 * next to them, merge records, merge suggestions, pairs known to be distinct and ambiguous contact points. Customers
 * are read once per transaction (the identity engine reads the same ones several times per event).
 */
final class CustomerRows {

    /** An account of a tenant's customer, as indexed in {@code sb_account}. */
    private record AccountRow(String channel, String platformUserId) {
    }

    private final JdbcStatements jdbc;
    private final CustomerSql sql;
    private final JsonCodec json;
    private final HeldWrites held;
    /** Customers read or written in this transaction; this transaction's writes go through it. */
    private final Map<RowKey, Optional<Customer>> cache = new HashMap<>();

    CustomerRows(JdbcStatements jdbc, CustomerSql sql, JsonCodec json, HeldWrites held) {
        this.jdbc = jdbc;
        this.sql = sql;
        this.json = json;
        this.held = held;
    }

    // ---- the per-transaction cache, also filled by the ingest prefetch -----------------------------------------

    boolean isCached(RowKey key) {
        return cache.containsKey(key);
    }

    Optional<Customer> cached(RowKey key) {
        return cache.getOrDefault(key, Optional.empty());
    }

    void remember(RowKey key, Customer customer) {
        cache.putIfAbsent(key, Optional.of(customer));
    }

    // ---- customers ----------------------------------------------------------------------------------------------

    Optional<Customer> customer(TenantId tenant, CustomerId id) {
        RowKey key = RowKey.of(tenant, id.value());
        Optional<Customer> cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        Optional<Customer> loaded = jdbc.queryOne(sql.selectCustomer, rs -> json.customer(rs.getString(1)),
                tenant.value(), id.value());
        cache.put(key, loaded);
        return loaded;
    }

    void saveCustomer(Customer customer) {
        String tenant = customer.tenant().value();
        String self = customer.id().value();
        RowKey key = new RowKey(tenant, self);
        IngestCache ingest = held.ingestOrNull();
        if (ingest != null && (held.holdsCustomer(key) || isNewInIngest(customer, ingest))) {
            holdNewCustomer(customer, ingest);
            return;
        }
        Map<AccountRow, LinkedAccount> wanted = new HashMap<>();
        for (LinkedAccount account : customer.accounts()) {
            wanted.put(new AccountRow(account.key().channel().value(), account.key().platformUserId()), account);
        }
        List<Object> args = new ArrayList<>(List.of(tenant, self));
        for (AccountRow account : wanted.keySet()) {
            args.add(account.channel());
            args.add(account.platformUserId());
        }
        List<AccountRow> toDelete = new ArrayList<>();
        List<AccountRow> toInsert = new ArrayList<>(wanted.keySet());
        List<AccountRow> toTakeOver = new ArrayList<>();
        List<String[]> rows = jdbc.queryList(sql.selectAccountsToReindex(wanted.size()), rs -> new String[] {
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)}, args.toArray());
        for (String[] row : rows) {
            AccountRow account = new AccountRow(row[0], row[1]);
            String owner = row[2];
            boolean ownerLive = row[3] != null && row[4] == null;
            if (owner.equals(self)) {
                toInsert.remove(account);
                if (!wanted.containsKey(account)) {
                    toDelete.add(account);
                }
            } else if (wanted.containsKey(account)) {
                toInsert.remove(account);
                if (!ownerLive) {
                    toTakeOver.add(account);
                } else if (!customer.isMerged()) {
                    throw new DuplicateKeyException("account " + tenant + "/" + account.channel() + "/"
                            + account.platformUserId() + " is owned by customer " + owner
                            + ", cannot save it for customer " + self);
                }
                // A merged tombstone keeps its accounts for undo, but never takes them from a live owner.
            }
        }
        cache.remove(key);
        jdbc.update(sql.upsertCustomer, tenant, self, customer.mergedInto().map(CustomerId::value).orElse(null),
                customer.updatedAt(), json.write(customer));
        jdbc.batch(sql.deleteAccount, toDelete.stream()
                .map(a -> new Object[] {tenant, a.channel(), a.platformUserId()}).collect(Collectors.toList()));
        jdbc.batch(sql.insertAccount, toInsert.stream()
                .map(a -> new Object[] {tenant, a.channel(), a.platformUserId(), self}).collect(Collectors.toList()));
        jdbc.batch(sql.reassignAccount, toTakeOver.stream()
                .map(a -> new Object[] {self, tenant, a.channel(), a.platformUserId()}).collect(Collectors.toList()));

        if (ingest != null) {
            for (AccountRow a : wanted.keySet()) {
                ingest.forgetOwner(new IngestCache.AccountRef(tenant, a.channel(), a.platformUserId()));
            }
            for (AccountRow a : toDelete) {
                ingest.forgetOwner(new IngestCache.AccountRef(tenant, a.channel(), a.platformUserId()));
            }
        }
        jdbc.update(sql.deleteContacts, tenant, self);
        Set<ContactPoint> points = customer.contacts().stream().map(CustomerContact::point)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        jdbc.batch(sql.insertContact, points.stream().map(pt -> new Object[] {tenant, pt.kind().name(), pt.value(),
                self}).collect(Collectors.toList()));
        cache.put(key, Optional.of(customer));
    }

    /**
     * A customer this transaction never read, holding only accounts it knows nobody owns: one the identity engine
     * just created. Its rows are written by plain inserts at flush; were the guess wrong (the row exists), the insert
     * fails and the store runs the transaction again.
     */
    private boolean isNewInIngest(Customer customer, IngestCache ingest) {
        String tenant = customer.tenant().value();
        if (cache.containsKey(new RowKey(tenant, customer.id().value())) || customer.isMerged()
                || customer.accounts().isEmpty()) {
            return false;
        }
        for (LinkedAccount a : customer.accounts()) {
            if (!ingest.knownUnowned(new IngestCache.AccountRef(tenant, a.key().channel().value(),
                    a.key().platformUserId()))) {
                return false;
            }
        }
        return true;
    }

    private void holdNewCustomer(Customer customer, IngestCache ingest) {
        String tenant = customer.tenant().value();
        RowKey key = new RowKey(tenant, customer.id().value());
        held.holdCustomer(key, customer);
        cache.put(key, Optional.of(customer));
        ingest.createdCustomer(tenant, customer.id().value(), customer.accounts().stream()
                .map(a -> new IngestCache.AccountRef(tenant, a.key().channel().value(), a.key().platformUserId()))
                .collect(Collectors.toList()));
    }

    Optional<CustomerId> customerByAccount(AccountKey account) {
        IngestCache ingest = held.ingestOrNull();
        if (ingest != null) {
            Optional<Optional<CustomerId>> known = ingest.owner(new IngestCache.AccountRef(account.tenant().value(),
                    account.channel().value(), account.platformUserId()));
            if (known.isPresent()) {
                return known.get();
            }
        }
        return jdbc.queryOne(sql.selectAccountOwner, rs -> CustomerId.of(rs.getString(1)), account.tenant().value(),
                account.channel().value(), account.platformUserId());
    }

    Set<CustomerId> customersByContact(TenantId tenant, ContactPoint point, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        // a point thousands of customers hold (a shop's hotline quoted back) is read only as far as the caller needs
        return new LinkedHashSet<>(jdbc.queryList(sql.selectLiveCustomersByContact,
                rs -> CustomerId.of(rs.getString(1)), tenant.value(), point.kind().name(), point.value(), limit));
    }

    // ---- name keys ----------------------------------------------------------------------------------------------

    void saveNameKeys(TenantId tenant, CustomerId customer, Set<String> keys) {
        RowKey key = RowKey.of(tenant, customer.value());
        if (held.holdsCustomer(key)) {
            held.holdNameKeys(key, keys);
            return;
        }
        jdbc.update(sql.deleteNameKeys, tenant.value(), customer.value());
        jdbc.batch(sql.insertNameKey, new LinkedHashSet<>(keys).stream()
                .map(k -> new Object[] {tenant.value(), k, customer.value()}).collect(Collectors.toList()));
    }

    Set<CustomerId> customersByNameKey(TenantId tenant, String key) {
        return new LinkedHashSet<>(jdbc.queryList(sql.selectCustomersByNameKey, rs -> CustomerId.of(rs.getString(1)),
                tenant.value(), key));
    }

    /**
     * The candidates of a name key with their customers in one query (the default reads each customer on its own),
     * each form derived from the display name; the customers read are kept for the rest of the transaction, so the
     * engine's read of a candidate that scores high enough costs nothing more.
     */
    List<IndexedName> indexedNames(TenantId tenant, String key) {
        List<Customer> candidates = jdbc.queryList(sql.selectNameKeyCandidates, rs -> json.customer(rs.getString(1)),
                tenant.value(), key);
        List<IndexedName> out = new ArrayList<>(candidates.size());
        for (Customer c : candidates) {
            cache.putIfAbsent(RowKey.of(tenant, c.id().value()), Optional.of(c));
            if (!c.isMerged() && c.displayName().isPresent()) {
                out.add(new IndexedName(c.id(), NameMatcher.formOf(c.displayName().get())));
            }
        }
        return out;
    }

    // ---- merges and suggestions ---------------------------------------------------------------------------------

    void saveMerge(MergeRecord record) {
        IngestCache ingest = held.ingestOrNull();
        if (ingest != null) {
            ingest.forgetMerges();
        }
        jdbc.update(sql.upsertMerge, record.tenant().value(), record.id().value(), record.survivor().value(),
                record.absorbed().value(), record.at(), json.write(record));
    }

    Optional<MergeRecord> merge(TenantId tenant, MergeId id) {
        return jdbc.queryOne(sql.selectMerge, rs -> json.mergeRecord(rs.getString(1)), tenant.value(), id.value());
    }

    List<MergeRecord> mergesOf(TenantId tenant, CustomerId customer) {
        IngestCache ingest = held.ingestOrNull();
        if (ingest != null) {
            Optional<List<MergeRecord>> known = ingest.merges(tenant.value(), customer.value());
            if (known.isPresent()) {
                return known.get();
            }
        }
        return jdbc.queryList(sql.selectMergesOf, rs -> json.mergeRecord(rs.getString(1)), tenant.value(),
                customer.value(), customer.value());
    }

    void saveSuggestion(MergeSuggestion s) {
        jdbc.update(sql.upsertSuggestion, s.tenant().value(), s.id().value(), s.first().value(), s.second().value(),
                s.status().name(), s.score(), s.createdAt(), json.write(s));
    }

    Optional<MergeSuggestion> suggestion(TenantId tenant, SuggestionId id) {
        return jdbc.queryOne(sql.selectSuggestion, rs -> json.suggestion(rs.getString(1)), tenant.value(), id.value());
    }

    List<MergeSuggestion> suggestionsOf(TenantId tenant, CustomerId customer) {
        return jdbc.queryList(sql.selectSuggestionsOf, rs -> json.suggestion(rs.getString(1)), tenant.value(),
                customer.value(), customer.value());
    }

    List<MergeSuggestion> openSuggestions(TenantId tenant, int limit) {
        return jdbc.queryList(sql.selectOpenSuggestions, rs -> json.suggestion(rs.getString(1)), tenant.value(),
                limit);
    }

    // ---- distinct pairs and ambiguous contact points ------------------------------------------------------------

    void markDistinct(TenantId tenant, CustomerId a, CustomerId b) {
        String lo = a.value().compareTo(b.value()) <= 0 ? a.value() : b.value();
        String hi = lo.equals(a.value()) ? b.value() : a.value();
        jdbc.insertIfAbsent(sql.distinctTable, List.of("tenant", "a", "b"), tenant.value(), lo, hi);
    }

    boolean areDistinct(TenantId tenant, CustomerId a, CustomerId b) {
        String lo = a.value().compareTo(b.value()) <= 0 ? a.value() : b.value();
        String hi = lo.equals(a.value()) ? b.value() : a.value();
        return jdbc.queryOne(sql.selectDistinct, rs -> true, tenant.value(), lo, hi).isPresent();
    }

    void markAmbiguous(TenantId tenant, ContactPoint point) {
        jdbc.insertIfAbsent(sql.ambiguousContactTable, List.of("tenant", "kind", "point"), tenant.value(),
                point.kind().name(), point.value());
    }

    boolean isAmbiguous(TenantId tenant, ContactPoint point) {
        return jdbc.queryOne(sql.selectAmbiguous, rs -> true, tenant.value(), point.kind().name(), point.value())
                .isPresent();
    }
}
