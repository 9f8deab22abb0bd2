package dev.switchboard.inbox.jdbc;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Cards;
import dev.switchboard.content.Choices;
import dev.switchboard.content.ContactCard;
import dev.switchboard.content.Content;
import dev.switchboard.content.Location;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Part;
import dev.switchboard.content.Text;
import dev.switchboard.identity.MergeRecord;
import dev.switchboard.identity.MergeSuggestion;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.Customer;
import dev.switchboard.model.Message;
import dev.switchboard.render.Bubble;
import dev.switchboard.render.ChoiceMap;
import java.util.Map;

/**
 * Turns the model's nested value types (customers, merge records, messages and their content, rendered outbound
 * bubbles, choice maps, event attributes) into JSON text for the store's body columns and back. Queryable fields live
 * in their own columns; the JSON is the full aggregate so a row always reads back as exactly what was saved. The
 * closed hierarchies ({@link Part}, {@link Choice.Action}, {@link MediaSource}, {@link Bubble}) are written with a
 * {@code "type"} discriminator whose names are part of the stored format and must not change.
 */
final class JsonCodec {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final ObjectMapper mapper;

    JsonCodec() {
        this.mapper = JsonMapper.builder()
                .addModule(new Jdk8Module())
                .addModule(new JavaTimeModule())
                .addModule(IsoInstants.module()) // registered last, so it is the one used for Instant
                // Convenience predicates such as Customer.isMerged() are derived, not stored.
                .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                // Rows written by a newer version with extra fields still read.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .addMixIn(Part.class, PartMixin.class)
                .addMixIn(Choice.Action.class, ActionMixin.class)
                .addMixIn(MediaSource.class, MediaSourceMixin.class)
                .addMixIn(Bubble.class, BubbleMixin.class)
                .build();
    }

    String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is not readable: " + e.getOriginalMessage(), e);
        }
    }

    Map<String, String> readStringMap(String json) {
        try {
            return mapper.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored attribute map is not readable: " + e.getOriginalMessage(), e);
        }
    }

    Customer customer(String json) {
        return read(json, Customer.class);
    }

    Conversation conversation(String json) {
        return read(json, Conversation.class);
    }

    Message message(String json) {
        return read(json, Message.class);
    }

    Content content(String json) {
        return read(json, Content.class);
    }

    OutboundMessage outbound(String json) {
        return read(json, OutboundMessage.class);
    }

    MergeRecord mergeRecord(String json) {
        return read(json, MergeRecord.class);
    }

    MergeSuggestion suggestion(String json) {
        return read(json, MergeSuggestion.class);
    }

    ChoiceMap choiceMap(String json) {
        return read(json, ChoiceMap.class);
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Text.class, name = "text"),
            @JsonSubTypes.Type(value = Media.class, name = "media"),
            @JsonSubTypes.Type(value = Location.class, name = "location"),
            @JsonSubTypes.Type(value = ContactCard.class, name = "contact"),
            @JsonSubTypes.Type(value = Choices.class, name = "choices"),
            @JsonSubTypes.Type(value = Cards.class, name = "cards")})
    private interface PartMixin {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Choice.Postback.class, name = "postback"),
            @JsonSubTypes.Type(value = Choice.OpenLink.class, name = "link"),
            @JsonSubTypes.Type(value = Choice.SharePhone.class, name = "share-phone")})
    private interface ActionMixin {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = MediaSource.Url.class, name = "url"),
            @JsonSubTypes.Type(value = MediaSource.PlatformFile.class, name = "platform-file"),
            @JsonSubTypes.Type(value = MediaSource.Inline.class, name = "inline")})
    private interface MediaSourceMixin {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Bubble.TextBubble.class, name = "text"),
            @JsonSubTypes.Type(value = Bubble.MediaBubble.class, name = "media"),
            @JsonSubTypes.Type(value = Bubble.LocationBubble.class, name = "location"),
            @JsonSubTypes.Type(value = Bubble.ContactBubble.class, name = "contact"),
            @JsonSubTypes.Type(value = Bubble.CardsBubble.class, name = "cards")})
    private interface BubbleMixin {}
}
