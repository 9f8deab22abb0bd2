package dev.switchboard.channel.email;

import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.ChannelHealthTracker;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.UIDFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The receive loop of one mailbox for one run of its channel, on the shared {@link EmailResources} rather than a
 * thread of its own: a receive pass connects (or reuses the open connection), reads every message with a UID above
 * the stored one, hands each to the sink, and only once the sink's stage completed (the inbox committed it) marks it
 * processed on the server and advances the stored UID; it then reads again until nothing new is found, because mail
 * that arrived during a commit was announced to an earlier command and IDLE would not report it again. Then it waits
 * for news in IMAP IDLE when the server offers it and an IDLE slot is free (re-issued at least every
 * {@link #MAX_IDLE}), or schedules the next pass after the poll interval. A changed UIDVALIDITY makes it read the whole
 * folder again; a failed commit stops the pass so the same message is retried next time. A refused login makes the
 * channel DOWN (bad credentials) and is retried only every {@link #AUTH_RETRY}; other failures make it DEGRADED and
 * reconnect with exponential back-off.
 */
final class EmailPoller {
    /** RFC 2177: servers may drop an IDLE after 30 minutes of inactivity; re-IDLE before that. */
    static final Duration MAX_IDLE = Duration.ofMinutes(29);
    /** How often a mailbox whose login was refused tries again (a password fixed on the server side is noticed). */
    static final Duration AUTH_RETRY = Duration.ofMinutes(15);
    private static final Duration COMMIT_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(2);
    private static final int COMMIT_FAILED = -1;
    private static final Logger log = LoggerFactory.getLogger(EmailPoller.class);

    private final ChannelId channel;
    private final TenantId tenant;
    private final ImapSettings settings;
    private final Session session;
    private final MailboxStateStore stateStore;
    private final String stateKey;
    private final EmailInboundMapper mapper;
    private final InboundSink sink;
    private final EmailResources resources;
    private final ChannelHealthTracker health;
    private final Clock clock;
    private final String threadLabel;
    /** Held by the pass or IDLE running now: at most one at a time, and stop() waits for it. */
    private final ReentrantLock work = new ReentrantLock();
    private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
    private volatile boolean running = true;
    private volatile IMAPStore store;
    private volatile IMAPFolder folder;
    private volatile boolean idling;
    private volatile ScheduledFuture<?> next;
    private volatile Thread worker;
    private Duration backoff = FIRST_BACKOFF; // guarded by work
    private boolean loginRefused; // guarded by work

    EmailPoller(ChannelId channel, TenantId tenant, ImapSettings settings, Session session,
                 MailboxStateStore stateStore, String stateKey, EmailInboundMapper mapper, InboundSink sink,
                 EmailResources resources, ChannelHealthTracker health, Clock clock) {
        this.channel = channel;
        this.tenant = tenant;
        this.settings = settings;
        this.session = session;
        this.stateStore = stateStore;
        this.stateKey = stateKey;
        this.mapper = mapper;
        this.sink = sink;
        this.resources = resources;
        this.health = health;
        this.clock = clock;
        this.threadLabel = tenant + "/" + channel;
    }

    /** Starts the first pass; {@link #firstAttempt()} completes once it has tried to log in. */
    void start() {
        submitPass();
    }

    /** Completes when the first login attempt finished, whatever its outcome (see the channel's health). */
    CompletionStage<Void> firstAttempt() {
        return firstAttempt;
    }

    /** How long until the next scheduled pass, when one is scheduled (for tests and diagnostics). */
    Optional<Duration> nextPassIn() {
        ScheduledFuture<?> n = next;
        return n == null || n.isDone() ? Optional.empty()
                : Optional.of(Duration.ofMillis(n.getDelay(TimeUnit.MILLISECONDS)));
    }

    /** Whether the loop is waiting in IMAP IDLE right now (for tests and diagnostics). */
    boolean idling() {
        return idling;
    }

    /** Ends this run: no further pass starts, a running IDLE or commit wait ends, the connection closes. */
    void stop() {
        running = false;
        ScheduledFuture<?> n = next;
        if (n != null) {
            n.cancel(false);
        }
        abortIdle();
        Thread w = worker;
        if (w != null && w != Thread.currentThread()) {
            w.interrupt(); // a pass waiting for a commit gives up; the message is read again next run
        }
        try {
            if (work.tryLock(10, TimeUnit.SECONDS)) {
                work.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly();
        firstAttempt.complete(null);
    }

    private void submitPass() {
        if (!running) {
            return;
        }
        try {
            resources.receivePool().execute(this::pass);
        } catch (RejectedExecutionException e) {
            log.warn("email channel {}: the receive pool is shut down; mailbox {} is no longer read", channel,
                    settings.username());
        }
    }

    private void schedulePass(Duration delay) {
        if (!running) {
            return;
        }
        try {
            next = resources.scheduler().schedule(this::submitPass, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.warn("email channel {}: the scheduler is shut down; mailbox {} is no longer read", channel,
                    settings.username());
        }
    }

    /** One receive pass, on a receive thread; then IDLE or a scheduled next pass. */
    private void pass() {
        if (!running) {
            return;
        }
        Duration wait = settings.pollInterval();
        boolean idleNext = false;
        String previousName = enter();
        work.lock();
        worker = Thread.currentThread();
        try {
            ensureOpen();
            if (loginRefused) {
                loginRefused = false;
                health.starting(); // the refused login works again (fixed on the server side)
            }
            health.up(); // leaves a DOWN of another cause (a refused SMTP login) in place
            firstAttempt.complete(null);
            int handled;
            do {
                handled = syncOnce();
            } while (handled > 0 && running); // re-check: mail that arrived while we committed
            health.received();
            backoff = FIRST_BACKOFF;
            idleNext = handled != COMMIT_FAILED && running && settings.idle() && store.hasCapability("IDLE")
                    && resources.tryAcquireIdleSlot();
        } catch (AuthenticationFailedException e) {
            if (running) {
                loginRefused = true;
                health.down(ChannelHealth.Problem.BAD_CREDENTIALS, "the IMAP server refused the login of "
                        + settings.username() + "@" + settings.host() + ": " + e.getMessage());
                log.error("email channel {}: IMAP login of {} refused ({}); not retrying for {} min", channel,
                        settings.username(), describe(e), AUTH_RETRY.toMinutes());
            }
            closeQuietly();
            wait = AUTH_RETRY;
        } catch (MessagingException | RuntimeException e) {
            if (running) {
                health.degraded(ChannelHealth.Problem.UNREACHABLE, "mailbox " + settings.username() + "@"
                        + settings.host() + ": " + describe(e), Optional.of(clock.instant().plus(backoff)));
                log.warn("email channel {}: mailbox {} failed ({}); reconnecting in {} s", channel,
                        settings.username(), describe(e), backoff.toSeconds());
            }
            closeQuietly();
            wait = backoff;
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        } finally {
            worker = null;
            Thread.interrupted(); // an interrupt from stop() ends with this pass
            work.unlock();
            firstAttempt.complete(null);
            leave(previousName);
        }
        if (!running) {
            if (idleNext) {
                resources.releaseIdleSlot();
            }
            return;
        }
        if (idleNext) {
            try {
                resources.idlePool().execute(this::idle);
                return;
            } catch (RejectedExecutionException e) {
                resources.releaseIdleSlot();
            }
        }
        schedulePass(wait);
    }

    /** Waits in IDLE on an IDLE thread (holding one of the shared slots), then runs the next pass. */
    private void idle() {
        String previousName = enter();
        work.lock();
        try {
            if (!running || folder == null) {
                return;
            }
            Duration interval = settings.pollInterval().compareTo(MAX_IDLE) < 0 ? settings.pollInterval() : MAX_IDLE;
            // IDLE returns on the first server notification; the timer ends it at the latest after 'interval'
            ScheduledFuture<?> reIdle = resources.scheduler().schedule(this::abortIdle, interval.toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                idling = true;
                folder.idle(true);
            } finally {
                idling = false;
                reIdle.cancel(false);
            }
        } catch (MessagingException | RuntimeException e) {
            if (running) {
                log.debug("email channel {}: IDLE ended with {}; reconnecting", channel, describe(e));
            }
            closeQuietly(); // the next pass reconnects and reports a lasting problem
        } finally {
            work.unlock();
            resources.releaseIdleSlot();
            leave(previousName);
        }
        submitPass();
    }

    /** Names the pool thread after the mailbox it serves and puts tenant and channel into the logging MDC. */
    private String enter() {
        Thread t = Thread.currentThread();
        String previous = t.getName();
        t.setName(previous + " " + threadLabel);
        MDC.put("tenant", tenant.value());
        MDC.put("channel", channel.value());
        return previous;
    }

    private static void leave(String previousName) {
        Thread.currentThread().setName(previousName);
        MDC.remove("tenant");
        MDC.remove("channel");
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

    /**
     * Reads everything new, in UID order, committing one message at a time. Returns how many messages it took care
     * of, or {@link #COMMIT_FAILED} when a commit failed (the rest waits for the next pass).
     */
    int syncOnce() throws MessagingException {
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
            return 0;
        }
        FetchProfile profile = new FetchProfile();
        profile.add(UIDFolder.FetchProfileItem.UID);
        profile.add(FetchProfile.Item.FLAGS);
        f.fetch(messages, profile);
        Message[] sorted = Arrays.stream(messages).filter(m -> m != null && !m.isExpunged())
                .toArray(Message[]::new);
        Arrays.sort(sorted, Comparator.comparingLong(m -> uidOf(f, m)));
        Optional<String> keyword = settings.processedKeyword().filter(k -> supportsKeywords(f));
        int handled = 0;
        for (Message m : sorted) {
            if (!running) {
                return handled;
            }
            long uid = f.getUID(m);
            if (uid <= state.lastUid()) {
                continue; // "n:*" returns the last message even when its UID is below n
            }
            if (resync && keyword.isPresent() && m.getFlags().contains(keyword.get())) {
                state = state.advancedTo(uid); // committed in an earlier life of this state
                stateStore.save(stateKey, state);
                handled++;
                continue;
            }
            byte[] raw = rawBytes(m);
            EmailInboundMapper.Outcome outcome = mapper.map(raw, validity + "." + uid);
            CompletionStage<Void> stage;
            if (outcome instanceof EmailInboundMapper.Event e) {
                stage = sink.deliver(e.event());
            } else {
                EmailInboundMapper.Rejected r = (EmailInboundMapper.Rejected) outcome;
                log.warn("email channel {}: quarantining message UID {}: {}", channel, uid, r.input().reason());
                stage = sink.reject(r.input());
            }
            if (!committed(stage, uid)) {
                return COMMIT_FAILED; // not stored: leave it (and everything after it) for the next pass
            }
            markProcessed(f, m, keyword);
            state = state.advancedTo(uid);
            saveCommitted(state);
            handled++;
        }
        return handled;
    }

    /**
     * Saves the cursor of a message the sink has committed. stop() interrupts a pass waiting for a commit; an
     * interrupt that lands after the commit must not fail this save (interruptible I/O in a store would), or the
     * next run reads the message again.
     */
    private void saveCommitted(MailboxState state) {
        boolean interrupted = Thread.interrupted();
        try {
            stateStore.save(stateKey, state);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
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
