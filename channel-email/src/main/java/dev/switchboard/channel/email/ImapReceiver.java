package dev.switchboard.channel.email;

import dev.switchboard.channel.InboundSink;
import dev.switchboard.model.ChannelId;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.UIDFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive loop of one mailbox, on its own thread: connect, read every message with a UID above the stored one,
 * hand each to the sink, and only once the sink's stage completed (the inbox committed it) mark it processed on the
 * server and advance the stored UID. Then wait for news with IMAP IDLE when the server offers it (re-issued at least
 * every {@link #MAX_IDLE}), or poll. A changed UIDVALIDITY makes it read the whole folder again; a failed commit
 * stops the pass so the same message is retried next time. Connection failures back off and reconnect.
 */
final class ImapReceiver {
    /** RFC 2177: servers may drop an IDLE after 30 minutes of inactivity; re-IDLE before that. */
    static final Duration MAX_IDLE = Duration.ofMinutes(29);
    private static final Duration COMMIT_TIMEOUT = Duration.ofMinutes(5);
    private static final Logger log = LoggerFactory.getLogger(ImapReceiver.class);

    private final ChannelId channel;
    private final ImapSettings settings;
    private final Session session;
    private final MailboxStateStore stateStore;
    private final String stateKey;
    private final EmailNormalizer normalizer;
    private final InboundSink sink;
    private final ScheduledExecutorService timer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private volatile boolean running = true;
    private volatile IMAPStore store;
    private volatile IMAPFolder folder;
    private volatile boolean idling;
    private Thread thread;

    ImapReceiver(ChannelId channel, ImapSettings settings, Session session, MailboxStateStore stateStore,
                 String stateKey, EmailNormalizer normalizer, InboundSink sink, ScheduledExecutorService timer) {
        this.channel = channel;
        this.settings = settings;
        this.session = session;
        this.stateStore = stateStore;
        this.stateKey = stateKey;
        this.normalizer = normalizer;
        this.sink = sink;
        this.timer = timer;
    }

    void start() {
        thread = new Thread(this::loop, "switchboard-email-" + channel);
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the loop is waiting in IMAP IDLE right now (for tests and diagnostics). */
    boolean idling() {
        return idling;
    }

    void stop() {
        running = false;
        signal();
        abortIdle();
        closeQuietly();
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        Duration backoff = Duration.ofSeconds(1);
        while (running) {
            try {
                ensureOpen();
                syncOnce();
                backoff = Duration.ofSeconds(1);
                waitForNews();
            } catch (MessagingException | RuntimeException e) {
                if (!running) {
                    break;
                }
                log.warn("email channel {}: mailbox {} failed ({}); reconnecting in {} s", channel,
                        settings.username(), describe(e), backoff.toSeconds());
                closeQuietly();
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofMinutes(2)) > 0 ? Duration.ofMinutes(2)
                        : backoff.multipliedBy(2);
            }
        }
        closeQuietly();
    }

    private void ensureOpen() throws MessagingException {
        if (store == null || !store.isConnected()) {
            IMAPStore s = (IMAPStore) session.getStore(settings.tls() == TlsMode.IMPLICIT ? "imaps" : "imap");
            s.connect(settings.host(), settings.port(), settings.username(), settings.password());
            store = s;
            folder = null;
        }
        if (folder == null || !folder.isOpen()) {
            IMAPFolder f = (IMAPFolder) store.getFolder(settings.folder());
            f.open(Folder.READ_WRITE);
            folder = f;
        }
    }

    /** Reads everything new, in UID order, committing one message at a time. */
    void syncOnce() throws MessagingException {
        IMAPFolder f = folder;
        long validity = f.getUIDValidity();
        Optional<MailboxState> stored = stateStore.load(stateKey);
        MailboxState state;
        boolean resync;
        if (stored.isEmpty()) {
            state = MailboxState.fresh(validity);
            resync = true;
        } else if (stored.get().uidValidity() != validity) {
            log.warn("email channel {}: UIDVALIDITY of {} changed from {} to {}; re-reading the whole folder "
                            + "(the inbox drops messages it already has by Message-ID)", channel, settings.folder(),
                    stored.get().uidValidity(), validity);
            state = MailboxState.fresh(validity);
            stateStore.save(stateKey, state);
            resync = true;
        } else {
            state = stored.get();
            resync = false;
        }
        Message[] messages = f.getMessagesByUID(state.lastUid() + 1, UIDFolder.MAXUID);
        if (messages.length == 0) {
            return;
        }
        FetchProfile profile = new FetchProfile();
        profile.add(UIDFolder.FetchProfileItem.UID);
        profile.add(FetchProfile.Item.FLAGS);
        f.fetch(messages, profile);
        Message[] sorted = Arrays.stream(messages).filter(m -> m != null && !m.isExpunged())
                .toArray(Message[]::new);
        Arrays.sort(sorted, Comparator.comparingLong(m -> uidOf(f, m)));
        Optional<String> keyword = settings.processedKeyword().filter(k -> supportsKeywords(f));
        for (Message m : sorted) {
            if (!running) {
                return;
            }
            long uid = f.getUID(m);
            if (uid <= state.lastUid()) {
                continue; // "n:*" returns the last message even when its UID is below n
            }
            if (resync && keyword.isPresent() && m.getFlags().contains(keyword.get())) {
                state = state.advancedTo(uid); // committed in an earlier life of this state
                stateStore.save(stateKey, state);
                continue;
            }
            byte[] raw = rawBytes(m);
            EmailNormalizer.Outcome outcome = normalizer.normalize(raw, validity + "." + uid);
            CompletionStage<Void> stage;
            if (outcome instanceof EmailNormalizer.Event e) {
                stage = sink.deliver(e.event());
            } else {
                EmailNormalizer.Rejected r = (EmailNormalizer.Rejected) outcome;
                log.warn("email channel {}: quarantining message UID {}: {}", channel, uid, r.input().reason());
                stage = sink.reject(r.input());
            }
            if (!committed(stage, uid)) {
                return; // not stored: leave it (and everything after it) for the next pass
            }
            markProcessed(f, m, keyword);
            state = state.advancedTo(uid);
            stateStore.save(stateKey, state);
        }
    }

    private boolean committed(CompletionStage<Void> stage, long uid) {
        try {
            stage.toCompletableFuture().get(COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            log.warn("email channel {}: message UID {} was not committed ({}); it will be read again", channel, uid,
                    describe(e.getCause() == null ? e : e.getCause()));
            return false;
        }
    }

    private void markProcessed(IMAPFolder f, Message m, Optional<String> keyword) {
        try {
            if (keyword.isPresent()) {
                m.setFlags(new Flags(keyword.get()), true);
            }
            if (settings.moveProcessedTo().isPresent()) {
                Folder target = store.getFolder(settings.moveProcessedTo().get());
                if (!target.exists()) {
                    target.create(Folder.HOLDS_MESSAGES);
                }
                if (store.hasCapability("MOVE")) {
                    f.moveMessages(new Message[] {m}, target);
                } else {
                    f.copyMessages(new Message[] {m}, target);
                    m.setFlag(Flags.Flag.DELETED, true); // expunged by whoever expunges; our UID cursor skips it
                }
            }
        } catch (MessagingException e) {
            // the UID cursor already prevents a repeat; the server-side mark is for humans and other clients
            log.warn("email channel {}: could not mark a committed message as processed ({})", channel, describe(e));
        }
    }

    private static boolean supportsKeywords(IMAPFolder f) {
        Flags permanent = f.getPermanentFlags();
        return permanent != null && permanent.contains(Flags.Flag.USER);
    }

    private static long uidOf(IMAPFolder f, Message m) {
        try {
            return f.getUID(m);
        } catch (MessagingException e) {
            return Long.MAX_VALUE;
        }
    }

    private static byte[] rawBytes(Message m) throws MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, m.getSize()));
        try {
            m.writeTo(out);
        } catch (IOException e) {
            throw new MessagingException("cannot read message: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private void waitForNews() throws MessagingException {
        if (!running) {
            return;
        }
        Duration interval = settings.pollInterval().compareTo(MAX_IDLE) < 0 ? settings.pollInterval() : MAX_IDLE;
        if (settings.idle() && store.hasCapability("IDLE")) {
            // IDLE returns on the first server notification; the timer ends it at the latest after 'interval'
            ScheduledFuture<?> reIdle = timer.schedule(this::abortIdle, interval.toMillis(), TimeUnit.MILLISECONDS);
            try {
                idling = true;
                folder.idle(true);
            } finally {
                idling = false;
                reIdle.cancel(false);
            }
        } else {
            pause(settings.pollInterval());
        }
    }

    /** Ends a running IDLE from another thread: any command on the folder makes Angus send DONE first. */
    private void abortIdle() {
        IMAPFolder f = folder;
        if (f != null && f.isOpen()) {
            try {
                f.doCommand(p -> {
                    p.simpleCommand("NOOP", null);
                    return null;
                });
            } catch (MessagingException | RuntimeException e) {
                log.debug("email channel {}: ending IDLE failed ({})", channel, describe(e));
            }
        }
    }

    /** Wakes a polling loop early (new mail known to be waiting, or stop). */
    void signal() {
        lock.lock();
        try {
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void pause(Duration d) {
        lock.lock();
        try {
            if (running) {
                wakeUp.await(d.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private void closeQuietly() {
        IMAPFolder f = folder;
        IMAPStore s = store;
        folder = null;
        store = null;
        try {
            if (f != null && f.isOpen()) {
                f.close(false);
            }
        } catch (MessagingException | RuntimeException e) {
            log.debug("closing folder failed", e);
        }
        try {
            if (s != null) {
                s.close();
            }
        } catch (MessagingException | RuntimeException e) {
            log.debug("closing store failed", e);
        }
    }

    /** An exception's class and message; mail servers never echo passwords, and we never put them in messages. */
    static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
