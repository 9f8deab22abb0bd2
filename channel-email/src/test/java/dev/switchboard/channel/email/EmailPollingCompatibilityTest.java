package dev.switchboard.channel.email;

/** The compatibility kit again with IDLE switched off, so the polling receive path passes it too. */
class EmailPollingCompatibilityTest extends EmailCompatibilityTest {
    @Override
    boolean idle() {
        return false;
    }
}
