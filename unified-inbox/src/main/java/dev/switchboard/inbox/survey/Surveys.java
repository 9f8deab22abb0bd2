package dev.switchboard.inbox.survey;

import dev.switchboard.model.ConversationId;
import dev.switchboard.model.TenantId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant's satisfaction surveys, from {@code TenantInbox.surveys()}: the policy deciding which resolved
 * conversations get one (held by this node; apply the same on every node at startup), and the surveys sent, with their
 * answers, as stored. Cheap to create; thread-safe.
 *
 * <pre>{@code
 * shop.surveys().configure(SurveyPolicy.builder().channelTypes(ChannelType.TELEGRAM).build());
 * shop.resolve(conversation);                       // the survey goes out through the outbox
 * shop.surveys().ofConversation(conversation);      // its rating once the customer answered
 * }</pre>
 */
public final class Surveys {
    private final SatisfactionService service;
    private final TenantId tenant;

    Surveys(SatisfactionService service, TenantId tenant) {
        this.service = service;
        this.tenant = tenant;
    }

    /** Replaces the tenant's survey policy; applies to conversations resolved from now on. */
    public void configure(SurveyPolicy policy) {
        service.configure(tenant, policy);
    }

    /** The tenant's survey policy ({@link SurveyPolicy#disabled()} until configured). */
    public SurveyPolicy policy() {
        return service.policy(tenant);
    }

    /** The surveys sent for a conversation of the tenant, oldest first (one per surveyed resolution). */
    public List<Survey> ofConversation(ConversationId conversation) {
        Objects.requireNonNull(conversation, "conversation");
        return service.store().inTransaction(tx -> tx.surveysOfConversation(tenant, conversation));
    }

    /** The tenant's survey with this id. */
    public Optional<Survey> survey(String id) {
        Objects.requireNonNull(id, "id");
        return service.store().inTransaction(tx -> tx.survey(tenant, id));
    }
}
