package dev.switchboard.inbox.campaign;

/**
 * Where a campaign stands. A created campaign is {@code READY} with its audience stored; {@code start} makes it
 * {@code RUNNING}; {@code pause} and {@code resume} move between {@code RUNNING} and {@code PAUSED}; it ends
 * {@code COMPLETED} when no recipient is left to send to, or {@code CANCELLED}, which skips the recipients not yet
 * queued (messages already handed to the outbox still go out).
 */
public enum CampaignState {
    /** Created, audience stored, nothing sent yet. */
    READY,
    /** Sending. */
    RUNNING,
    /** Sending held; resume continues where it stopped. */
    PAUSED,
    /** Every recipient was sent to, failed or skipped. */
    COMPLETED,
    /** Stopped for good by the host; unqueued recipients were skipped. */
    CANCELLED;

    /** Whether the campaign can change no more. */
    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED;
    }
}
