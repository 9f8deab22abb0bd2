package dev.switchboard.store;

import dev.switchboard.identity.IdentityTransaction;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Message;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The operations available inside one store transaction: customers and identity ({@link IdentityTransaction}),
 * conversations and messages. Every read and write is scoped by tenant: a lookup in one tenant never sees another
 * tenant's rows, even when ids collide. Implementations keep the secondary indexes
 * (account owner, contact point holders, platform message ids) in step with the aggregates saved here.
 *
 * <p>Not thread-safe: a transaction is used by the one thread that runs the work it was handed to.
 */
public interface StoreTransaction extends IdentityTransaction {

    // ---- conversations --------------------------------------------------------------------------------------

    Optional<Conversation> conversation(TenantId tenant, ConversationId id);

    void saveConversation(Conversation conversation);

    /** Conversations of any of these customers, newest activity first. */
    List<Conversation> conversationsOf(TenantId tenant, Set<CustomerId> customers);

    Page<Conversation> conversations(ConversationQuery query);

    // ---- messages -------------------------------------------------------------------------------------------

    /**
     * Inserts or replaces a message. Throws {@link DuplicateKeyException} when another message of the same tenant and
     * channel already has this platform message id and direction.
     */
    void saveMessage(Message message);

    Optional<Message> message(TenantId tenant, MessageId id);

    Optional<Message> messageByPlatformId(TenantId tenant, ChannelId channel, String platformMessageId);

    /** One conversation's messages in the order they were stored. */
    List<Message> messages(TenantId tenant, ConversationId conversation);

    /** All messages of these customers across every channel and conversation, in the order they were stored. */
    Page<Message> timeline(TenantId tenant, Set<CustomerId> customers, PageRequest page);
}
