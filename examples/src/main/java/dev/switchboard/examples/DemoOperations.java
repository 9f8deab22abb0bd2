package dev.switchboard.examples;

import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.ack.AckPolicy;
import dev.switchboard.inbox.calendar.BusinessCalendar;
import dev.switchboard.inbox.routing.Agent;
import dev.switchboard.inbox.routing.Router;
import dev.switchboard.inbox.routing.Routing;
import dev.switchboard.inbox.routing.RoutingSettings;
import dev.switchboard.inbox.sla.SlaPolicy;
import dev.switchboard.inbox.survey.SurveyPolicy;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/**
 * How the demo shop "Самовар" runs its support desk: business hours, the automatic acknowledgement, routing and SLA
 * policies, satisfaction surveys, and its agents. Chat and messengers are answered around the clock within minutes; email within an hour of
 * office time (Moscow, with a lunch break, Saturdays and New Year holidays). VK conversations get a {@code demo-fast}
 * policy so short ({@link DemoConfig.Timings}) that a warning and a breach show within a minute or two. Email goes to
 * the {@code email} team's queue; everything else to the default queue, least busy agent first. Two agents are people
 * who log in to the console ({@link DemoContactCenter#AGENTS}); two are played by the simulator.
 */
public final class DemoOperations {

    /** The simulated agent who stays online through the simulator's day. */
    public static final String OLGA = "olga";
    /** The simulated agent of the email team who goes offline during the simulator's day. */
    public static final String DMITRI = "dmitri";
    /** The email team's queue. */
    public static final String EMAIL_QUEUE = "email";
    /** The SLA policy of VK conversations, with the demo's short target. */
    public static final String FAST_POLICY = "demo-fast";

    private DemoOperations() {
    }

    /** The shop's office hours for email: weekdays with a lunch break, a short Saturday, New Year holidays. */
    public static BusinessCalendar office() {
        BusinessCalendar.Builder b = BusinessCalendar.builder("samovar-office", "Europe/Moscow")
                .openWeekdays("09:00", "13:00")
                .openWeekdays("14:00", "19:00")
                .open(DayOfWeek.SATURDAY, "10:00", "16:00");
        for (int year = 2026; year <= 2028; year++) {
            b.holiday(LocalDate.of(year, 1, 1), "New Year's Day").holiday(LocalDate.of(year, 1, 7), "Christmas");
        }
        return b.build();
    }

    /** The acknowledgement every customer gets when they write and nobody answered yet; VK is left out. */
    public static AckPolicy acknowledgements() {
        return AckPolicy.builder()
                .target(ChannelType.EMAIL, Duration.ofHours(1))
                .defaultTarget(Duration.ofMinutes(5))
                .exclude(ChannelType.VK)
                .template("en", AckPolicy.State.OPEN,
                        "Hi {customer_name|there}, thanks for writing to Samovar! We'll answer within "
                                + "{response_minutes} minutes.")
                .template("en", AckPolicy.State.CLOSED,
                        "Hi {customer_name|there}, we're closed now; we'll answer on {opening_day} after "
                                + "{opening_time} (Moscow time).")
                .template("ru", AckPolicy.State.OPEN,
                        "{customer_name|Здравствуйте}, спасибо, что написали в «Самовар»! Ответим в течение "
                                + "{response_minutes} мин.")
                .template("ru", AckPolicy.State.CLOSED,
                        "{customer_name|Здравствуйте}, сейчас мы закрыты; ответим в {opening_day} после "
                                + "{opening_time} по Москве.")
                .build();
    }

    /** Least busy routing; email waits in the email team's queue. */
    public static RoutingSettings routing(DemoConfig.Timings timings) {
        ChannelId email = DemoContactCenter.EMAIL;
        return RoutingSettings.builder()
                .router(Router.leastBusy())
                .router(EMAIL_QUEUE, Router.leastBusy())
                .queue(c -> c.channel().filter(email::equals).isPresent() ? EMAIL_QUEUE
                        : RoutingSettings.DEFAULT_QUEUE)
                .offlineGrace(timings.offlineGrace())
                .build();
    }

    /** VK: the demo's short target; chat and messengers: minutes, around the clock; email: an office hour. */
    public static List<SlaPolicy> slaPolicies(DemoConfig.Timings timings) {
        return List.of(
                SlaPolicy.builder(FAST_POLICY).channelTypes(ChannelType.VK)
                        .firstResponse(timings.fastResponse()).nextResponse(timings.fastResponse())
                        .warnAt(0.5).build(),
                SlaPolicy.builder("chat").channelTypes(ChannelType.TELEGRAM, ChannelType.WEBCHAT, ChannelType.VIBER)
                        .firstResponse(Duration.ofMinutes(5)).nextResponse(Duration.ofMinutes(10))
                        .resolution(Duration.ofHours(8)).build(),
                SlaPolicy.builder("email").channelTypes(ChannelType.EMAIL)
                        .firstResponse(Duration.ofHours(1)).nextResponse(Duration.ofHours(2))
                        .businessTime(true).warnAt(0.75).build());
    }

    /**
     * The satisfaction survey sent when a conversation is resolved, on every channel, in Russian with English as the
     * default (at most one per customer a week).
     */
    public static SurveyPolicy surveys() {
        return SurveyPolicy.builder()
                .channelTypes(ChannelType.TELEGRAM, ChannelType.VK, ChannelType.VIBER, ChannelType.EMAIL,
                        ChannelType.WEBCHAT)
                .template("ru", "Как мы справились?", "Очень плохо", "Плохо", "Нормально", "Хорошо", "Отлично")
                .build();
    }

    /** The shop's agents: the two people of the console's roster and two simulated colleagues. */
    public static List<Agent> agents() {
        return List.of(
                Agent.builder("maria").displayName("Maria K.").languages("ru", "en").teams(EMAIL_QUEUE).capacity(4)
                        .build(),
                Agent.builder("alex").displayName("Alex").languages("en", "ru").capacity(4).build(),
                Agent.builder(OLGA).displayName("Olga (simulated)").languages("ru").capacity(3).build(),
                Agent.builder(DMITRI).displayName("Dmitri (simulated)").languages("ru", "en").teams(EMAIL_QUEUE)
                        .capacity(5).build());
    }

    /**
     * Applies all of it to the shop's desk. Agents already in the store (a restart) keep their presence and
     * conversations and get the current settings.
     */
    public static void configure(TenantInbox desk, DemoConfig.Timings timings) {
        desk.calendars().setDefault(BusinessCalendar.alwaysOpen("Europe/Moscow"));
        desk.calendars().assignChannel(DemoContactCenter.EMAIL, office());
        desk.setAcknowledgements(acknowledgements());
        desk.sla().configure(slaPolicies(timings));
        desk.surveys().configure(surveys());
        Routing routing = desk.routing();
        for (Agent agent : agents()) {
            if (routing.agent(agent.id()).isPresent()) {
                routing.update(agent);
            } else {
                routing.register(agent);
            }
        }
        routing.configure(routing(timings));
    }
}
