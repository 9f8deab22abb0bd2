package dev.switchboard.channel.email;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Separates the new text of a reply from the history it quotes, for plain text and HTML bodies, covering what real
 * clients write: {@code >} runs; "On … wrote:" (also wrapped over two lines) and its equivalents in other
 * languages; Russian {@code … пишет:} / {@code написал(а):}; Yandex {@code DD.MM.YYYY, HH:MM, "Name" <a@b>:}; Gmail
 * Russian {@code пн, 3 мар. 2025 г. в 10:15, Имя <a@b>:}; {@code -----Original Message-----} and its Russian forms;
 * Outlook header blocks of at least two of From:/Sent:/To:/Subject: (or От:/Отправлено:/Кому:/Тема:); and in HTML
 * {@code div.gmail_quote}, Outlook {@code #appendonsend} / {@code #divRplyFwdMsg}, {@code yahoo_quoted_*} and
 * {@code <blockquote>}.
 *
 * <p>Signatures: a {@code "-- "} delimited signature and mobile-client footers ("Sent from my iPhone", "Отправлено с
 * iPhone") are cut, because they never carry what the customer wants. A closing such as "С уважением, Иван" is kept:
 * it is text the person wrote, and cutting at it risks losing a postscript. When stripping would leave nothing (a
 * bare forward) the full text is kept as the new text, so nothing the customer sent disappears from view.
 */
final class QuoteStripper {
    private static final String EMAIL = "[^\\s<>@]+@[^\\s<>@]+\\.[^\\s<>@]+";
    private static final Pattern WROTE = Pattern.compile(
            "^\\s*(On|Am|Le|El|Il|Op|Em|W dniu|Dne)\\s.*\\b(wrote|schrieb|a écrit|escribió|ha scritto|schreef|escreveu"
                    + "|napisał|napsal)\\s*:\\s*$", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern ON_START = Pattern.compile("^\\s*(On|Am|Le|El|Il|Op|Em)\\s.+",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern RUSSIAN_WROTE = Pattern.compile(
            "^.{0,200}\\b(пишет|написал|написала|написал\\(а\\)|писал|писала|писал\\(а\\))\\s*:\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    /** Yandex, Mail.ru and Gmail-Russian attributions: a date or time, an address, a trailing colon. */
    private static final Pattern DATED_ADDRESS_COLON = Pattern.compile(
            "^.{0,200}(\\d{1,2}[.:]\\d{2}).{0,120}(" + EMAIL + ").{0,3}:\\s*$");
    /** Any line ending in "wrote:"/"пишет:": an attribution only when a {@code >} quote follows it. */
    private static final Pattern WEAK_WROTE = Pattern.compile(
            "^.{0,300}\\b(wrote|writes|пишет|написал|написала|написал\\(а\\)|писал|писала|писал\\(а\\))\\s*:\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern HAS_DATE_OR_ADDRESS = Pattern.compile(
            "(\\d{1,2}[.:/]\\d{2}|" + EMAIL + ")");
    private static final Pattern GMAIL_RUSSIAN = Pattern.compile(
            "^\\s*(пн|вт|ср|чт|пт|сб|вс),\\s.+\\sг\\.\\s*в\\s*\\d{1,2}:\\d{2}.*:\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern SEPARATOR = Pattern.compile(
            "^\\s*-{2,}\\s*(Original Message|Forwarded message|Исходное сообщение|Пересылаемое сообщение"
                    + "|Переадресованное сообщение|Ursprüngliche Nachricht|Message d'origine)\\s*-{2,}\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern UNDERSCORES = Pattern.compile("^\\s*_{10,}\\s*$");
    private static final Pattern HEADER_FIELD = Pattern.compile(
            "^\\s*\\*?(From|Sent|To|Subject|Cc|Date|От|Отправлено|Кому|Тема|Копия|Дата|Von|Gesendet|An|Betreff)"
                    + "\\s*:\\*?\\s.*", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern HEADER_FROM = Pattern.compile("^\\s*\\*?(From|От|Von)\\s*:\\*?\\s.*",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern SIGNATURE = Pattern.compile("^--\\s?$");
    private static final Pattern MOBILE_FOOTER = Pattern.compile(
            "^\\s*(Sent from my (iPhone|iPad|Android|mobile device|phone)|Get Outlook for (iOS|Android)"
                    + "|Отправлено с (iPhone|iPad|моего iPhone|моего Android|мобильного устройства)"
                    + "|Отправлено из мобильной Почты Mail\\.ru|Отправлено из мобильного приложения Яндекс.*"
                    + "|Sent from Yandex Mail.*)\\s*\\.?\\s*$", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private QuoteStripper() {
    }

    /**
     * The outcome of stripping.
     *
     * @param newText what the sender wrote this time
     * @param fullText the whole body, quotes included
     * @param stripped whether anything (quote or signature) was removed
     */
    public record Result(String newText, String fullText, boolean stripped) {
    }

    /** Strips a plain-text body. */
    public static Result stripText(String text) {
        String full = HtmlText.tidy(text);
        String fresh = newTextOf(full);
        if (fresh.isEmpty()) {
            return new Result(full, full, false);
        }
        return new Result(fresh, full, !fresh.equals(full));
    }

    /**
     * Strips an HTML body: quote containers are removed from a copy of the document, the rest rendered as text and
     * then stripped as text (which removes the attribution line left above a removed blockquote).
     */
    public static Result stripHtml(Document document) {
        String full = HtmlText.toText(document);
        Document copy = document.clone();
        removeQuoteContainers(copy);
        String fresh = newTextOf(HtmlText.toText(copy));
        if (fresh.isEmpty()) {
            return new Result(full, full, false);
        }
        return new Result(fresh, full, !fresh.equals(full));
    }

    private static void removeQuoteContainers(Document doc) {
        for (String cutFrom : List.of("#appendonsend", "#divRplyFwdMsg", "div.gmail_quote", "div.yahoo_quoted",
                "[id^=yahoo_quoted_]", "div.moz-cite-prefix", "div.OutlookMessageHeader")) {
            Element first = doc.selectFirst(cutFrom);
            if (first != null) {
                removeFromHereOn(first);
            }
        }
        doc.select("blockquote").remove();
    }

    /** Removes an element and everything after it in document order (Outlook puts the quote in siblings). */
    private static void removeFromHereOn(Element element) {
        Element current = element;
        while (current != null && !current.normalName().equals("body")) {
            Element parent = current.parent();
            List<org.jsoup.nodes.Node> after = new ArrayList<>(current.parent() == null ? List.of()
                    : current.parent().childNodes().subList(current.siblingIndex() + 1,
                    current.parent().childNodeSize()));
            after.forEach(org.jsoup.nodes.Node::remove);
            if (current == element) {
                current.remove();
            }
            current = parent;
        }
    }

    private static String newTextOf(String text) {
        String[] lines = text.split("\n", -1);
        boolean[] quoted = new boolean[lines.length];
        int cut = lines.length;
        for (int i = 0; i < lines.length && i < cut; i++) {
            String line = lines[i];
            if (line.stripLeading().startsWith(">")) {
                quoted[i] = true;
                continue;
            }
            int attribution = attributionLength(lines, i);
            boolean weak = attribution == 0 && line.length() < 400 && line.stripTrailing().endsWith(":")
                    && WEAK_WROTE.matcher(line).matches();
            if (attribution > 0 || weak) {
                int length = Math.max(1, attribution);
                int next = nextNonBlank(lines, i + length);
                if (next < lines.length && lines[next].stripLeading().startsWith(">")) {
                    for (int k = i; k < i + length; k++) {
                        quoted[k] = true;
                    }
                    i += length - 1;
                    continue;
                }
                if (!weak) {
                    cut = i;
                    break;
                }
            }
            if (SEPARATOR.matcher(line).matches() || SIGNATURE.matcher(line).matches()
                    || MOBILE_FOOTER.matcher(line).matches() || outlookBlockAt(lines, i)) {
                cut = i;
                break;
            }
            if (UNDERSCORES.matcher(line).matches() && outlookBlockAt(lines, nextNonBlank(lines, i + 1))) {
                cut = i;
                break;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cut; i++) {
            if (!quoted[i]) {
                out.append(lines[i]).append('\n');
            }
        }
        return HtmlText.tidy(out.toString());
    }

    /** 1 or 2 when an attribution line ("On … wrote:", "… пишет:") starts at {@code i}, else 0. */
    private static int attributionLength(String[] lines, int i) {
        String line = lines[i];
        if (isAttribution(line)) {
            return 1;
        }
        if (i + 1 < lines.length && ON_START.matcher(line).matches() && line.length() < 200) {
            String joined = line.strip() + " " + lines[i + 1].strip();
            if (WROTE.matcher(joined).matches() || DATED_ADDRESS_COLON.matcher(joined).matches()) {
                return 2;
            }
        }
        return 0;
    }

    private static boolean isAttribution(String line) {
        if (line.length() > 400 || !line.stripTrailing().endsWith(":")) {
            return false;
        }
        return WROTE.matcher(line).matches()
                || GMAIL_RUSSIAN.matcher(line).matches() || DATED_ADDRESS_COLON.matcher(line).matches()
                || (RUSSIAN_WROTE.matcher(line).matches() && HAS_DATE_OR_ADDRESS.matcher(line).find());
    }

    private static boolean outlookBlockAt(String[] lines, int i) {
        if (i >= lines.length || !HEADER_FROM.matcher(lines[i]).matches()) {
            return false;
        }
        int fields = 1;
        for (int k = i + 1; k < lines.length && k < i + 6; k++) {
            if (HEADER_FIELD.matcher(lines[k]).matches()) {
                fields++;
            } else if (!lines[k].isBlank()) {
                break;
            }
        }
        return fields >= 2;
    }

    private static int nextNonBlank(String[] lines, int from) {
        int i = from;
        while (i < lines.length && lines[i].isBlank()) {
            i++;
        }
        return i;
    }
}
