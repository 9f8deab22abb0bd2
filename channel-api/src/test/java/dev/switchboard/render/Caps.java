package dev.switchboard.render;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.TextLengthUnit;
import dev.switchboard.content.MediaKind;

/** Capability sets resembling real channels, for renderer tests. */
final class Caps {
    private Caps() {
    }

    /** Telegram: 4096 UTF-16 units, MarkdownV2, every media kind, buttons, locations, contacts. */
    static Capabilities telegram(Markup markup) {
        return Capabilities.builder().maxTextLength(4096, TextLengthUnit.UTF16_UNITS).markup(markup)
                .media(MediaKind.values()).buttons(10, 64).linkButtons(true).sharePhoneButton(true)
                .locations(true).contactCards(true).build();
    }

    static Capabilities telegram() {
        return telegram(Markup.TELEGRAM_MARKDOWN_V2);
    }

    /** A web chat widget: HTML, three quick replies of 20 characters, link buttons, images only. */
    static Capabilities webchat() {
        return Capabilities.builder().maxTextLength(2000, TextLengthUnit.CODE_POINTS).markup(Markup.HTML)
                .media(MediaKind.IMAGE).buttons(3, 20).linkButtons(true).build();
    }

    /** The most limited channel: plain text, nothing else. */
    static Capabilities plain(int maxLength) {
        return Capabilities.builder().maxTextLength(maxLength, TextLengthUnit.CODE_POINTS).markup(Markup.PLAIN)
                .build();
    }

    static Capabilities small(Markup markup, int maxLength, TextLengthUnit unit) {
        return Capabilities.builder().maxTextLength(maxLength, unit).markup(markup).build();
    }
}
