package dev.switchboard.channel.email.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A tiny TCP proxy in front of GreenMail's SMTP server. Normally it pipes bytes both ways, so the channel talks real
 * SMTP to GreenMail. When told to fail the next connection it answers that connection itself with a scripted SMTP
 * error at MAIL FROM or RCPT TO, because GreenMail cannot be scripted to return 421/451/550. The channel's SMTP
 * client (Angus) therefore sees exactly the replies a real server sends.
 */
final class ScriptedSmtpProxy implements AutoCloseable {
    /** Which command gets the scripted error reply. */
    enum Stage { MAIL, RCPT }

    private record Failure(Stage stage, String reply) {
    }

    private final ServerSocket server;
    private final int targetPort;
    private final AtomicReference<Failure> next = new AtomicReference<>();
    private volatile boolean open = true;

    ScriptedSmtpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "smtp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The next SMTP connection is answered with {@code reply} (e.g. {@code 451 4.7.1 ...}) at {@code stage}. */
    void failNext(Stage stage, String reply) {
        next.set(new Failure(stage, reply));
    }

    private void acceptLoop() {
        while (open) {
            try {
                Socket client = server.accept();
                Failure failure = next.getAndSet(null);
                Thread t = new Thread(() -> {
                    if (failure != null) {
                        script(client, failure);
                    } else {
                        pipe(client);
                    }
                }, "smtp-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    private static void script(Socket client, Failure failure) {
        try (Socket c = client;
             BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(),
                     StandardCharsets.US_ASCII));
             Writer out = new java.io.OutputStreamWriter(c.getOutputStream(), StandardCharsets.US_ASCII)) {
            reply(out, "220 scripted.smtp.test ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String cmd = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
                switch (cmd) {
                    case "EHLO":
                    case "HELO":
                        reply(out, "250-scripted.smtp.test\r\n250 8BITMIME");
                        break;
                    case "MAIL":
                    case "RCPT":
                        Stage stage = cmd.equals("MAIL") ? Stage.MAIL : Stage.RCPT;
                        if (failure.stage() == stage) {
                            reply(out, failure.reply());
                            if (failure.reply().startsWith("421")) {
                                return; // 421 closes the transmission channel
                            }
                        } else {
                            reply(out, "250 2.1.0 Ok");
                        }
                        break;
                    case "QUIT":
                        reply(out, "221 2.0.0 Bye");
                        return;
                    default:
                        reply(out, "250 2.0.0 Ok");
                }
            }
        } catch (IOException e) {
            // the client hung up: fine for a scripted failure
        }
    }

    private static void reply(Writer out, String text) throws IOException {
        out.write(text + "\r\n");
        out.flush();
    }

    private void pipe(Socket client) {
        try {
            Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            Thread back = new Thread(() -> copy(upstream, client), "smtp-proxy-back");
            back.setDaemon(true);
            back.start();
            copy(client, upstream);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private static void copy(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[16384];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        open = false;
        try {
            server.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
