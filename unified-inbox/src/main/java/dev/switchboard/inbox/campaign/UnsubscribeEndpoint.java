package dev.switchboard.inbox.campaign;

import java.util.Objects;

/**
 * The handler behind a campaign email's {@code List-Unsubscribe} link, for a host to mount at the URL it configured
 * ({@link CampaignSettings.Builder#unsubscribeLinks}). Mail clients that support RFC 8058 POST the body
 * {@code List-Unsubscribe=One-Click} to the link; a person who clicks it in a browser GETs it. Either way the host
 * passes the {@code token} query parameter here, and the customer's consent for the purpose is withdrawn. The
 * handler answers with a status and a short text the host can show; it never echoes the token. Thread-safe.
 *
 * <pre>{@code
 * UnsubscribeEndpoint endpoint = UnsubscribeEndpoint.of(shop.campaigns());
 * UnsubscribeEndpoint.Response r = endpoint.handle(request.getParameter("token"));
 * response.setStatus(r.status());
 * }</pre>
 */
public final class UnsubscribeEndpoint {
    private final Campaigns campaigns;

    private UnsubscribeEndpoint(Campaigns campaigns) {
        this.campaigns = campaigns;
    }

    /** The endpoint of one tenant's campaigns (tokens of other tenants are refused). */
    public static UnsubscribeEndpoint of(Campaigns campaigns) {
        return new UnsubscribeEndpoint(Objects.requireNonNull(campaigns, "campaigns"));
    }

    /**
     * What to answer: 200 when the withdrawal was recorded, 400 when the token was refused (malformed, forged, of
     * another tenant), 404 when its customer is unknown.
     *
     * @param status the HTTP status
     * @param text a short plain-text explanation for the person
     */
    public record Response(int status, String text) {
        /** Checks that the text is not null. */
        public Response {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Handles a one-click POST or a GET of the link with this token. */
    public Response handle(String token) {
        try {
            UnsubscribeTokens.Subject s = campaigns.unsubscribe(token);
            return new Response(200, "You are unsubscribed from " + s.purpose() + " messages.");
        } catch (InvalidUnsubscribeTokenException e) {
            return new Response(400, "This unsubscribe link is not valid: " + e.getMessage());
        } catch (java.util.NoSuchElementException e) {
            return new Response(404, "This unsubscribe link names nobody we know.");
        }
    }
}
