package dev.switchboard.examples.web;

import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import dev.switchboard.channel.webchat.IdentityClaims;
import dev.switchboard.channel.webchat.WebchatIdentity;

/**
 * The demo's web pages, served from the class path: the shop at {@code /} (rendered per request, because the shop's
 * backend signs the logged-in user for the chat widget with a fresh timestamp and nonce, {@link WebchatIdentity#sign})
 * and the agent console at {@code /console/}. Pages carry a Content-Security-Policy (scripts only from this origin,
 * the shop's one inline configuration script by nonce) with {@code frame-ancestors 'none'}; static files get their
 * content type, {@code nosniff} and {@code no-cache}; paths that try to leave the static folder are refused.
 */
public final class WebUi {

    /** The signed-in shop user the page shows and signs for the widget. */
    public record SignedInUser(String id, String name, String email) {
        public SignedInUser {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(email, "email");
        }
    }

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "application/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json",
            "yaml", "application/yaml; charset=utf-8");

    private final byte[] identitySecret;
    private final SignedInUser user;
    private final String shopTemplate;

    public WebUi(byte[] identitySecret, SignedInUser user) {
        this.identitySecret = identitySecret.clone();
        this.user = Objects.requireNonNull(user, "user");
        this.shopTemplate = new String(resource("static/shop/index.html").orElseThrow(() ->
                new IllegalStateException("static/shop/index.html is missing from the class path")),
                StandardCharsets.UTF_8);
    }

    /** Handles GET and HEAD for everything the API and the channels do not own. */
    public CompletionStage<WebhookResponse> handle(WebhookRequest request) {
        return CompletableFuture.completedFuture(respond(request));
    }

    private WebhookResponse respond(WebhookRequest request) {
        if (request.method().equals("OPTIONS")) {
            return new WebhookResponse(204, Map.of("Allow", List.of("GET, HEAD, OPTIONS")), new byte[0]);
        }
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            byte[] body = "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"use GET\"}}"
                    .getBytes(StandardCharsets.UTF_8);
            return new WebhookResponse(405, Map.of("Content-Type", List.of("application/json"), "Allow",
                    List.of("GET, HEAD, OPTIONS")), body);
        }
        String path = request.path();
        if (path.equals("/") || path.equals("/index.html")) {
            byte[] raw = new byte[16];
            RANDOM.nextBytes(raw);
            String nonce = Base64.getEncoder().encodeToString(raw);
            String host = request.header("Host").filter(h -> h.matches("[A-Za-z0-9.:\\[\\]-]{1,260}")).orElse("");
            String csp = "default-src 'self'; script-src 'self' 'nonce-" + nonce + "'; style-src 'self' "
                    + "'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'"
                    + (host.isEmpty() ? "" : " ws://" + host + " wss://" + host)
                    + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
            return page(shopPage(nonce), csp);
        }
        if (path.equals("/console")) {
            return new WebhookResponse(302, Map.of("Location", List.of("/console/")), new byte[0]);
        }
        if (path.startsWith("/console/")) {
            return file("static/console/", path.substring("/console/".length()));
        }
        if (path.startsWith("/shop/")) {
            return file("static/shop/", path.substring("/shop/".length()));
        }
        return notFound();
    }

    /**
     * A fresh identity token for the signed-in user, as the shop backend signs one per page view: the user id, now,
     * and a single-use nonce ({@link WebchatIdentity#sign}).
     */
    public String identityToken() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return WebchatIdentity.sign(identitySecret, IdentityClaims.of(user.id(), Instant.now())
                .withNonce(Base64.getUrlEncoder().withoutPadding().encodeToString(nonce)).withName(user.name()));
    }

    String shopPage() {
        return shopPage("");
    }

    private String shopPage(String nonce) {
        return shopTemplate
                .replace("{{NONCE}}", nonce)
                .replace("{{USER_ID}}", escape(user.id()))
                .replace("{{USER_TOKEN}}", escape(identityToken()))
                .replace("{{USER_NAME}}", escape(user.name()))
                .replace("{{USER_FIRST_NAME}}", escape(user.name().split(" ")[0]))
                .replace("{{USER_EMAIL}}", escape(user.email()));
    }

    private WebhookResponse file(String folder, String relative) {
        String rel = relative.isEmpty() || relative.endsWith("/") ? relative + "index.html" : relative;
        if (rel.contains("..") || rel.contains("\\") || rel.startsWith("/") || rel.contains("//")) {
            return notFound();
        }
        Optional<byte[]> bytes = resource(folder + rel);
        if (bytes.isEmpty()) {
            return notFound();
        }
        String ext = rel.substring(rel.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return new WebhookResponse(200, Map.of(
                "Content-Type", List.of(TYPES.getOrDefault(ext, "application/octet-stream")),
                "Cache-Control", List.of("no-cache"),
                "X-Content-Type-Options", List.of("nosniff"),
                "Content-Security-Policy", List.of(folder.equals("static/console/") ? CONSOLE_CSP : STATIC_CSP),
                "X-Frame-Options", List.of("DENY"),
                "Referrer-Policy", List.of("same-origin")), bytes.get());
    }

    /** The console's policy: nothing but this origin, no inline script or style, never framed. */
    static final String CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";
    private static final String STATIC_CSP = "default-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static WebhookResponse page(String body, String csp) {
        return new WebhookResponse(200, Map.of("Content-Type", List.of("text/html; charset=utf-8"),
                "Cache-Control", List.of("no-store"), "X-Content-Type-Options", List.of("nosniff"),
                "Content-Security-Policy", List.of(csp), "X-Frame-Options", List.of("DENY"),
                "Referrer-Policy", List.of("same-origin")), body.getBytes(StandardCharsets.UTF_8));
    }

    private static WebhookResponse html(int status, String body) {
        return new WebhookResponse(status, Map.of("Content-Type", List.of("text/html; charset=utf-8"),
                "Cache-Control", List.of("no-store"), "X-Content-Type-Options", List.of("nosniff"),
                "Content-Security-Policy", List.of(STATIC_CSP)), body.getBytes(StandardCharsets.UTF_8));
    }

    private static WebhookResponse notFound() {
        return html(404, "<!doctype html><meta charset=utf-8><title>Not found</title>"
                + "<body style=\"font-family:system-ui,sans-serif;padding:48px;color:#161a23\">"
                + "<h1>Not found</h1><p>Try the <a href=\"/\">shop</a> or the <a href=\"/console/\">agent console</a>."
                + "</p></body>");
    }

    private static Optional<byte[]> resource(String name) {
        try (InputStream in = WebUi.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** Never shows the identity secret. */
    @Override
    public String toString() {
        return "WebUi[user=" + user.id() + "]";
    }
}
