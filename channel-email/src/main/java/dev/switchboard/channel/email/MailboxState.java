package dev.switchboard.channel.email;

/**
 * How far a mailbox folder has been read: the folder's UIDVALIDITY and the highest UID whose message the inbox has
 * committed. UIDs are only meaningful within one UIDVALIDITY; when the server reports a different one the whole
 * folder is read again (the inbox dedupes by Message-ID).
 */
public record MailboxState(long uidValidity, long lastUid) {
    public MailboxState {
        if (lastUid < 0) {
            throw new IllegalArgumentException("lastUid must be >= 0, got " + lastUid);
        }
    }

    /** A folder never read: everything in it is new. */
    public static MailboxState fresh(long uidValidity) {
        return new MailboxState(uidValidity, 0);
    }

    public MailboxState advancedTo(long uid) {
        return uid > lastUid ? new MailboxState(uidValidity, uid) : this;
    }
}
