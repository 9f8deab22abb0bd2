package dev.switchboard.channel.webchat;

import java.time.Instant;

/**
 * Tells the website chat whether it is within business hours. Together with
 * {@link WebchatChannel#setAgentsOnline(boolean)} it decides whether the widget shows "we are online" or offers to
 * leave a message and an email for the answer.
 */
@FunctionalInterface
public interface BusinessHours {
    /** Always open: presence then depends only on whether agents are online. */
    BusinessHours ALWAYS = at -> true;

    boolean isOpen(Instant at);
}
