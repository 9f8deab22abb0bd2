package dev.switchboard.channel.telegram;

import dev.switchboard.channel.DepartureSpacing;
import java.io.IOException;
import java.io.InterruptedIOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Holds a bot's message sends to Telegram's per-bot rate where they go on the wire: a network interceptor of the
 * transport's shared client (one client serves every bot), so it spaces only requests tagged with their bot's
 * {@link DepartureSpacing} ({@link BotApi} tags message sends) and lets everything else through. The outbox already
 * paces at the declared 30 per second; on a busy machine, sends it released on time still reached Telegram bunched
 * (late thread wake-ups, dispatcher queueing) and one in 2,000 drew a 429 from the per-bot limit. Sends leave at
 * least 0.8 of the even spacing apart ({@code TelegramChannel.SEND_MIN_GAP_SHARE}): Telegram's limit tolerates only a
 * short burst, so a late send is followed by a gentle catch-up, not a quick one. A send waits on its dispatcher
 * thread, at most one even spacing (34 ms) unless the bot is over its rate.
 */
final class SpacedDepartures implements Interceptor {

    @Override
    public Response intercept(Chain chain) throws IOException {
        DepartureSpacing spacing = chain.request().tag(DepartureSpacing.class);
        if (spacing != null) {
            try {
                DepartureSpacing.Lane lane = chain.request().tag(DepartureSpacing.Lane.class);
                spacing.awaitDeparture(lane == null ? DepartureSpacing.Lane.BULK : lane);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the bot's next send slot");
            }
        }
        return chain.proceed(chain.request());
    }
}
