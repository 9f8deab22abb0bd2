package dev.switchboard.bench.email;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The mail platform of the many-tenants benchmark, run in its own JVM by {@link ManyMailboxes} so that the node
 * under test is measured alone: GreenMail's SMTP and IMAP servers (IDLE included) with one account per mailbox,
 * {@code shop-<i>@bench.example} with the password {@link #password(int)}. While injecting it creates plain-text
 * customer mails at a fixed rate on uniformly random mailboxes (fixed seed) and delivers them straight into the
 * account's INBOX (as an MTA's local delivery does, so an IMAP IDLE on that folder is told at once); each mail's body
 * is stamped with its creation time, {@code bench m<epoch micros>}, so the node can measure creation to commit.
 *
 * <p>Control on stdin, one command a line: {@code rate <mails/s>}, {@code stats}, {@code quit}. It prints
 * {@code PORTS <smtp> <imap>} when ready and {@code STATS <injected> <failed deliveries>} on request.
 */
public final class ManyMailboxesMailServer {
    static final String DOMAIN = "bench.example";

    private final GreenMailUser[] users;
    private final Session session = Session.getInstance(new Properties());
    private final AtomicLong injected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile double rate;

    private ManyMailboxesMailServer(GreenMailUser[] users) {
        this.users = users;
    }

    static String address(int mailbox) {
        return "shop-" + mailbox + "@" + DOMAIN;
    }

    static String password(int mailbox) {
        return "bench-mail-pw-" + mailbox;
    }

    public static void main(String[] args) throws Exception {
        int mailboxes = Integer.parseInt(args[0]);
        ServerSetup[] setups = ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP);
        for (ServerSetup s : setups) {
            s.setServerStartupTimeout(30_000); // a loaded machine starts the sockets slowly
        }
        GreenMail greenMail = new GreenMail(setups);
        greenMail.start();
        GreenMailUser[] users = new GreenMailUser[mailboxes];
        for (int i = 0; i < mailboxes; i++) {
            users[i] = greenMail.setUser(address(i), address(i), password(i));
        }
        ManyMailboxesMailServer server = new ManyMailboxesMailServer(users);
        Thread injector = new Thread(server::inject, "mail-injector");
        injector.setDaemon(true);
        injector.start();
        System.out.println("PORTS " + greenMail.getSmtp().getPort() + " " + greenMail.getImap().getPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("rate ")) {
                server.rate = Double.parseDouble(line.substring(5).trim());
            } else if (line.equals("stats")) {
                System.out.println("STATS " + server.injected.get() + " " + server.failed.get());
                System.out.flush();
            } else if (line.equals("quit")) {
                break;
            }
        }
        greenMail.stop();
        System.exit(0);
    }

    /** Creates mails at {@link #rate}, evenly spaced, on uniformly random mailboxes. */
    private void inject() {
        Random random = new Random(7);
        long next = System.nanoTime();
        long serial = 0;
        while (true) {
            double r = rate;
            if (r <= 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                next = System.nanoTime();
                continue;
            }
            long now = System.nanoTime();
            if (now < next) {
                LockSupport.parkNanos(next - now);
                continue;
            }
            next += (long) (1e9 / r);
            int mailbox = random.nextInt(users.length);
            int customer = random.nextInt(3);
            if (deliver(mailbox, customer, ++serial)) {
                injected.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
        }
    }

    private boolean deliver(int mailbox, int customer, long serial) {
        Instant created = Instant.now();
        long micros = created.getEpochSecond() * 1_000_000 + created.getNano() / 1000;
        String raw = "From: Customer " + customer + " <c" + mailbox + "-" + customer + "@client.example>\r\n"
                + "To: " + address(mailbox) + "\r\nSubject: Order question\r\n"
                + "Message-ID: <bench-" + serial + "." + micros + "@client.example>\r\n"
                + "Date: Mon, 3 Mar 2025 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
                + "Hello, where is my order?\r\n\r\nbench m" + micros + "\r\n";
        try {
            users[mailbox].deliver(new MimeMessage(session,
                    new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII))));
            return true;
        } catch (MessagingException | RuntimeException e) {
            System.err.println("mail fake: delivery to " + address(mailbox) + " failed: " + e);
            return false;
        }
    }
}
