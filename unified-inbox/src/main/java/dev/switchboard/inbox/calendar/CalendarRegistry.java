package dev.switchboard.inbox.calendar;

import dev.switchboard.model.ChannelId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One tenant's business calendars: a default, and calendars assigned to channels and to teams, all changeable at
 * runtime (a change applies to every decision made after it, on this node; hosts running several nodes make the same
 * change on each, e.g. from their own configuration store). Acknowledgements use the calendar of the channel a
 * customer wrote on; routing and SLA look calendars up by team first. Thread-safe.
 *
 * <pre>{@code
 * CalendarRegistry calendars = inbox.forTenant(shop).calendars();
 * calendars.setDefault(moscowOffice);
 * calendars.assignChannel(ChannelId.of("support-mail"), emailDesk);
 * }</pre>
 */
public final class CalendarRegistry {
    /** The default of a tenant that set none: always open, in UTC. */
    public static final BusinessCalendar ALWAYS_OPEN = BusinessCalendar.alwaysOpen("UTC");

    private volatile BusinessCalendar defaultCalendar = ALWAYS_OPEN;
    private final Map<ChannelId, BusinessCalendar> byChannel = new ConcurrentHashMap<>();
    private final Map<String, BusinessCalendar> byTeam = new ConcurrentHashMap<>();

    /** The calendar used where no channel or team calendar applies ({@link #ALWAYS_OPEN} until set). */
    public BusinessCalendar defaultCalendar() {
        return defaultCalendar;
    }

    /** Replaces the default calendar. */
    public CalendarRegistry setDefault(BusinessCalendar calendar) {
        this.defaultCalendar = Objects.requireNonNull(calendar, "calendar");
        return this;
    }

    /** Uses {@code calendar} for conversations on this channel. */
    public CalendarRegistry assignChannel(ChannelId channel, BusinessCalendar calendar) {
        byChannel.put(Objects.requireNonNull(channel, "channel"), Objects.requireNonNull(calendar, "calendar"));
        return this;
    }

    /** Uses {@code calendar} for conversations of this team. */
    public CalendarRegistry assignTeam(String team, BusinessCalendar calendar) {
        byTeam.put(Objects.requireNonNull(team, "team"), Objects.requireNonNull(calendar, "calendar"));
        return this;
    }

    /** Goes back to the default calendar for this channel. */
    public CalendarRegistry unassignChannel(ChannelId channel) {
        byChannel.remove(Objects.requireNonNull(channel, "channel"));
        return this;
    }

    /** Goes back to the default calendar for this team. */
    public CalendarRegistry unassignTeam(String team) {
        byTeam.remove(Objects.requireNonNull(team, "team"));
        return this;
    }

    /** The calendar assigned to this channel, else the default. */
    public BusinessCalendar forChannel(ChannelId channel) {
        return byChannel.getOrDefault(Objects.requireNonNull(channel, "channel"), defaultCalendar);
    }

    /** The calendar assigned to this team, else the default. */
    public BusinessCalendar forTeam(String team) {
        return byTeam.getOrDefault(Objects.requireNonNull(team, "team"), defaultCalendar);
    }

    /** The calendar for a conversation: its team's when it has a team with a calendar, else its channel's. */
    public BusinessCalendar forConversation(Optional<String> team, ChannelId channel) {
        Objects.requireNonNull(team, "team");
        return team.map(byTeam::get).orElseGet(() -> forChannel(channel));
    }
}
