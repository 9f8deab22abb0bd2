package dev.switchboard.inbox.privacy;

/**
 * What an export archive holds, as counted while it was written.
 *
 * @param customers customer records (the customer and those merged into them)
 * @param conversations conversations of any of them
 * @param messages messages, inbound and outbound
 * @param mediaFiles media files included under {@code media/}
 * @param mediaUnavailable media files a platform no longer provided (listed in {@code summary.txt})
 */
public record ExportSummary(int customers, int conversations, long messages, long mediaFiles,
                            long mediaUnavailable) {
}
