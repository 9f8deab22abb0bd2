package dev.switchboard.bench.inbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The ceiling the inbox's ingest is compared with: the rows the inbox writes for the same events, written with
 * nothing else going on. It copies the inbox's commit pattern (the same number of lanes, each user's events on one
 * lane, one transaction per group of up to {@code batch} events, the event counter advanced last) and its rows: kinds,
 * counts and bodies are taken from what the inbox stored in the warm-up run ({@link RowProfile#measure}), so a new
 * customer costs its customer, account and name-key rows here too. No reads, no identity resolution, no JSON mapping.
 */
final class RawIngestBaseline {

    /** A feed row kind the inbox writes, with a stored sample of its attributes. */
    record FeedRow(String type, String attributes) {
    }

    /**
     * What the inbox stored in a fresh schema for one warm-up run: sample bodies (written here with their ids
     * replaced, so sizes and content match), feed rows per event and per new customer, name keys and contact points
     * per new customer.
     */
    record RowProfile(String messageId, String messageBody, String conversationId, String conversationBody,
                      String customerId, String customerBody, List<FeedRow> perEvent, List<FeedRow> perCustomer,
                      List<String> nameKeys, int contactsPerCustomer) {

        static RowProfile measure(BenchDatabase db) throws SQLException {
            String p = db.prefix;
            long messages = db.count("SELECT COUNT(*) FROM " + p + "sb_message");
            long customers = db.count("SELECT COUNT(*) FROM " + p + "sb_customer");
            if (messages == 0 || customers == 0) {
                throw new IllegalStateException("the warm-up stored no messages or customers");
            }
            try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement()) {
                String[] message = first(s, "SELECT id, body FROM " + p + "sb_message ORDER BY ord");
                String[] conversation = first(s, "SELECT id, body FROM " + p + "sb_conversation ORDER BY id");
                String[] customer = first(s, "SELECT id, body FROM " + p + "sb_customer ORDER BY id");
                List<FeedRow> perEvent = new ArrayList<>();
                List<FeedRow> perCustomer = new ArrayList<>();
                Map<String, Long> byType = new LinkedHashMap<>();
                try (ResultSet rs = s.executeQuery("SELECT type, COUNT(*) FROM " + p + "sb_event GROUP BY type ORDER BY type")) {
                    while (rs.next()) {
                        byType.put(rs.getString(1), rs.getLong(2));
                    }
                }
                for (Map.Entry<String, Long> t : byType.entrySet()) {
                    String attributes = first(s, "SELECT attributes FROM " + p + "sb_event WHERE type = '" + t.getKey()
                            + "' ORDER BY seq")[0];
                    boolean eachEvent = t.getValue() >= messages;
                    long copies = Math.round((double) t.getValue() / (eachEvent ? messages : customers));
                    for (long i = 0; i < copies; i++) {
                        (eachEvent ? perEvent : perCustomer).add(new FeedRow(t.getKey(), attributes));
                    }
                }
                List<String> nameKeys = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT name_key FROM " + p + "sb_name_key WHERE customer_id = '"
                        + customer[0] + "'")) {
                    while (rs.next()) {
                        nameKeys.add(rs.getString(1));
                    }
                }
                int contacts = (int) Math.round((double) db.count("SELECT COUNT(*) FROM " + p + "sb_contact") / customers);
                return new RowProfile(message[0], message[1], conversation[0], conversation[1], customer[0],
                        customer[1], perEvent, perCustomer, nameKeys, contacts);
            }
        }

        private static String[] first(Statement s, String sql) throws SQLException {
            try (ResultSet rs = s.executeQuery(sql)) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row: " + sql);
                }
                String[] row = new String[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getString(i + 1);
                }
                return row;
            }
        }

        @Override
        public String toString() {
            return "message " + messageBody.length() + " chars, conversation " + conversationBody.length()
                    + " chars, customer " + customerBody.length() + " chars, feed rows per event "
                    + perEvent.stream().map(FeedRow::type).toList() + ", per new customer "
                    + perCustomer.stream().map(FeedRow::type).toList() + ", name keys per customer " + nameKeys.size()
                    + ", contact points per customer " + contactsPerCustomer;
        }
    }

    private final BenchDatabase db;
    private final RowProfile profile;
    private final int users;
    private final int lanes;
    private final int batch;

    RawIngestBaseline(BenchDatabase db, RowProfile profile, int users, int lanes, int batch) {
        this.db = db;
        this.profile = profile;
        this.users = users;
        this.lanes = lanes;
        this.batch = batch;
    }

    /** Writes the rows of {@code events} events under the run prefix {@code run}; returns events per second. */
    double run(String run, int events) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(lanes);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int lane = 0; lane < lanes; lane++) {
                int mine = lane;
                done.add(pool.submit(() -> {
                    lane(run, events, mine);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long stored = db.count("SELECT COUNT(*) FROM " + db.prefix + "sb_message WHERE platform_message_id LIKE '"
                + run + "-%'");
        if (stored != events) {
            throw new IllegalStateException("raw baseline stored " + stored + " messages of " + events);
        }
        return events / seconds;
    }

    private void lane(String run, int events, int lane) throws SQLException {
        String p = db.prefix;
        Set<Integer> seenUsers = new LinkedHashSet<>();
        try (Connection c = db.dataSource.getConnection()) {
            db.beginTransaction(c);
            try (PreparedStatement customer = c.prepareStatement("INSERT INTO " + p + "sb_customer (tenant, id,"
                    + " merged_into, updated_at, body) VALUES (?, ?, ?, ?, ?)");
                 PreparedStatement account = c.prepareStatement("INSERT INTO " + p + "sb_account (tenant, channel,"
                         + " platform_user_id, customer_id) VALUES (?, ?, ?, ?)");
                 PreparedStatement nameKey = c.prepareStatement("INSERT INTO " + p + "sb_name_key (tenant, name_key,"
                         + " customer_id) VALUES (?, ?, ?)");
                 PreparedStatement contact = c.prepareStatement("INSERT INTO " + p + "sb_contact (tenant, kind, point,"
                         + " customer_id) VALUES (?, ?, ?, ?)");
                 PreparedStatement processed = c.prepareStatement("INSERT INTO " + p + "sb_processed_event (tenant,"
                         + " channel, event_id, processed_at) VALUES (?, ?, ?, ?)");
                 PreparedStatement message = c.prepareStatement("INSERT INTO " + p + "sb_message (tenant, id,"
                         + " conversation_id, customer_id, channel, direction, platform_message_id, body)"
                         + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement newConversation = c.prepareStatement("INSERT INTO " + p + "sb_conversation (tenant,"
                         + " id, customer_id, status, assignee, channel, updated_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement conversation = c.prepareStatement(db.conversationUpsert());
                 PreparedStatement feed = c.prepareStatement("INSERT INTO " + p + "sb_event (seq, tenant, type,"
                         + " conversation_id, message_id, customer_id, attributes, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                List<Integer> group = new ArrayList<>(batch);
                for (int i = 0; i < events; i++) {
                    if ((i % users) % lanes != lane) {
                        continue;
                    }
                    group.add(i);
                    if (group.size() == batch) {
                        writeGroup(c, run, group, seenUsers, customer, account, nameKey, contact, processed, message,
                                newConversation, conversation, feed);
                        group.clear();
                    }
                }
                if (!group.isEmpty()) {
                    writeGroup(c, run, group, seenUsers, customer, account, nameKey, contact, processed, message,
                            newConversation, conversation, feed);
                }
            }
        }
    }

    private void writeGroup(Connection c, String run, List<Integer> group, Set<Integer> seenUsers,
                            PreparedStatement customer, PreparedStatement account, PreparedStatement nameKey,
                            PreparedStatement contact, PreparedStatement processed, PreparedStatement message,
                            PreparedStatement newConversation, PreparedStatement conversation, PreparedStatement feed)
            throws SQLException {
        Object now = db.timestamp(Instant.now());
        Map<Integer, Boolean> conversationsTouched = new LinkedHashMap<>(); // user -> created in this group
        List<Object[]> feedRows = new ArrayList<>();
        for (int i : group) {
            int user = i % users;
            String customerId = run + "-c" + user;
            String conversationId = run + "-k" + user;
            String messageId = run + "-m" + i;
            if (seenUsers.add(user)) {
                customer.setString(1, "default");
                customer.setString(2, customerId);
                customer.setString(3, null);
                customer.setObject(4, now);
                customer.setString(5, profile.customerBody().replace(profile.customerId(), customerId));
                customer.addBatch();
                account.setString(1, "default");
                account.setString(2, "bench");
                account.setString(3, run + "-u" + user);
                account.setString(4, customerId);
                account.addBatch();
                for (String key : profile.nameKeys()) {
                    nameKey.setString(1, "default");
                    nameKey.setString(2, key + "-" + run + "-" + user);
                    nameKey.setString(3, customerId);
                    nameKey.addBatch();
                }
                for (int k = 0; k < profile.contactsPerCustomer(); k++) {
                    contact.setString(1, "default");
                    contact.setString(2, "EXTERNAL_ID");
                    contact.setString(3, run + "-x" + user + "-" + k);
                    contact.setString(4, customerId);
                    contact.addBatch();
                }
                conversationsTouched.put(user, true);
                for (FeedRow f : profile.perCustomer()) {
                    feedRows.add(new Object[] {f.type(), conversationId, null, customerId, f.attributes()});
                }
            } else {
                conversationsTouched.putIfAbsent(user, false);
            }
            processed.setString(1, "default");
            processed.setString(2, "bench");
            processed.setString(3, run + "-e" + i);
            processed.setObject(4, now);
            processed.addBatch();
            message.setString(1, "default");
            message.setString(2, messageId);
            message.setString(3, conversationId);
            message.setString(4, customerId);
            message.setString(5, "bench");
            message.setString(6, "INBOUND");
            message.setString(7, run + "-p" + i);
            message.setString(8, profile.messageBody().replace(profile.messageId(), messageId));
            message.addBatch();
            for (FeedRow f : profile.perEvent()) {
                feedRows.add(new Object[] {f.type(), conversationId, messageId, customerId, f.attributes()});
            }
        }
        for (Map.Entry<Integer, Boolean> k : conversationsTouched.entrySet()) {
            PreparedStatement ps = k.getValue() ? newConversation : conversation;
            String conversationId = run + "-k" + k.getKey();
            ps.setString(1, "default");
            ps.setString(2, conversationId);
            ps.setString(3, run + "-c" + k.getKey());
            ps.setString(4, "OPEN");
            ps.setString(5, null);
            ps.setString(6, "bench");
            ps.setObject(7, now);
            ps.setString(8, profile.conversationBody().replace(profile.conversationId(), conversationId));
            ps.addBatch();
        }
        // the inbox's order: held customers, dedupe rows, messages, conversations; the feed last, before commit
        customer.executeBatch();
        account.executeBatch();
        nameKey.executeBatch();
        contact.executeBatch();
        processed.executeBatch();
        message.executeBatch();
        newConversation.executeBatch();
        conversation.executeBatch();
        long seq = db.advanceCounter(c, feedRows.size()) - feedRows.size();
        for (Object[] row : feedRows) {
            feed.setLong(1, ++seq);
            feed.setString(2, "default");
            feed.setString(3, (String) row[0]);
            feed.setString(4, (String) row[1]);
            feed.setString(5, (String) row[2]);
            feed.setString(6, (String) row[3]);
            feed.setString(7, (String) row[4]);
            feed.setObject(8, now);
            feed.addBatch();
        }
        feed.executeBatch();
        c.commit();
    }
}
