package dev.switchboard.channel;

/** The text formatting flavour a channel understands; the renderer escapes and formats for it. */
public enum Markup {
    /** No formatting: styles are dropped, links are written as "text (url)". */
    PLAIN,
    /** HTML as Telegram and email understand it: {@code <b> <i> <code> <a href>}, with {@code < > & "} escaped. */
    HTML,
    /** Telegram MarkdownV2, with its reserved characters escaped. */
    TELEGRAM_MARKDOWN_V2
}
