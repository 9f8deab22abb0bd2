package dev.switchboard.inbox.canned;

import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A saved reply an agent sends by its short code: a body with {@code {{variables}}} (the customer's and agent's names,
 * conversation fields, values the host supplies) and {@code {{prompt.name}}} fields the agent must fill before sending,
 * optional attachments (by URL), optionally limited to a team or a channel type. Stored per tenant, so every node sees
 * the same set. Immutable; build with {@link #builder(String)}.
 *
 * <pre>{@code
 * CannedResponse refund = CannedResponse.builder("refund")
 *         .title("Refund started")
 *         .body("Hi {{customer.name}}, {{agent.name}} here: your refund of {{prompt.amount}} is on its way.")
 *         .channelType(ChannelType.TELEGRAM)
 *         .build();
 * }</pre>
 *
 * @param code the short code agents type, unique per tenant: letters, digits, {@code -} and {@code _}, 1-64
 * @param title a human label for pickers
 * @param body the text with {@code {{variables}}}; see {@link CannedResponses} for the names
 * @param team only offered for conversations of this routing team (the assignee's teams), when present
 * @param channelType only offered for conversations on this channel type, when present
 * @param attachments files sent with the text, by URL
 */
public record CannedResponse(TenantId tenant, String code, String title, String body, Optional<String> team,
                             Optional<ChannelType> channelType, List<Attachment> attachments) {
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** A {@code {{variable}}} of a body; the name is group 1. */
    static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");
    /** The prefix of a variable the agent fills in before sending. */
    public static final String PROMPT_PREFIX = "prompt.";

    /**
     * A file sent with a canned response.
     *
     * @param mimeType e.g. {@code application/pdf}; decides how channels show it
     * @param name the file name shown to the customer
     */
    public record Attachment(URI url, String mimeType, String name) {
        /** Checks that nothing is null or blank. */
        public Attachment {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(mimeType, "mimeType");
            Objects.requireNonNull(name, "name");
        }
    }

    /** Checks every field; the message names the response and the field. */
    public CannedResponse {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(channelType, "channelType");
        attachments = List.copyOf(attachments);
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("canned response code must be 1-64 letters, digits, - or _, got '"
                    + code + "'");
        }
        if (body.isBlank() && attachments.isEmpty()) {
            throw new IllegalArgumentException("canned response " + code + " needs a body or an attachment");
        }
    }

    /** A builder for the response with this short code, in the default tenant until {@code tenant} is set. */
    public static Builder builder(String code) {
        return new Builder(code);
    }

    /** The names of the fields the agent must fill ({@code {{prompt.amount}}} gives {@code amount}), in order. */
    public Set<String> prompts() {
        Set<String> out = new LinkedHashSet<>();
        var m = VARIABLE.matcher(body);
        while (m.find()) {
            if (m.group(1).startsWith(PROMPT_PREFIX)) {
                out.add(m.group(1).substring(PROMPT_PREFIX.length()));
            }
        }
        return out;
    }

    /** This response in another tenant (the tenant view sets its own when saving). */
    public CannedResponse inTenant(TenantId other) {
        return new CannedResponse(other, code, title, body, team, channelType, attachments);
    }

    /** Builds a {@link CannedResponse}; checked at {@link #build()}. */
    public static final class Builder {
        private final String code;
        private TenantId tenant = TenantId.DEFAULT;
        private String title;
        private String body = "";
        private String team;
        private ChannelType channelType;
        private final List<Attachment> attachments = new ArrayList<>();

        private Builder(String code) {
            this.code = Objects.requireNonNull(code, "code");
        }

        /** The tenant (default: the default tenant; {@code TenantInbox.cannedResponses()} sets its own). */
        public Builder tenant(TenantId tenant) {
            this.tenant = Objects.requireNonNull(tenant, "tenant");
            return this;
        }

        /** The label shown in pickers (default: the code). */
        public Builder title(String title) {
            this.title = Objects.requireNonNull(title, "title");
            return this;
        }

        /** The text, with {@code {{variables}}}. */
        public Builder body(String body) {
            this.body = Objects.requireNonNull(body, "body");
            return this;
        }

        /** Offer it only for conversations whose assignee is in this routing team. */
        public Builder team(String team) {
            this.team = Objects.requireNonNull(team, "team");
            return this;
        }

        /** Offer it only for conversations on this channel type. */
        public Builder channelType(ChannelType type) {
            this.channelType = Objects.requireNonNull(type, "channelType");
            return this;
        }

        /** Sends this file with the text. */
        public Builder attachment(URI url, String mimeType, String name) {
            attachments.add(new Attachment(url, mimeType, name));
            return this;
        }

        /** The response; an invalid code, or neither body nor attachment, fails naming it. */
        public CannedResponse build() {
            return new CannedResponse(tenant, code, title == null ? code : title, body, Optional.ofNullable(team),
                    Optional.ofNullable(channelType), attachments);
        }
    }
}
