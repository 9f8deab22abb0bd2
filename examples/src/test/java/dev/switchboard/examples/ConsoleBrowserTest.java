package dev.switchboard.examples;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's view in a real browser (headless Chromium): after the simulator's scenario the console lists Анна's
 * conversation with her three channels; the agent answers through the website chat; the answer appears in the chat
 * widget on the shop page, where Анна is signed in. The operations panel shows the queue the simulator's day left,
 * with live SLA countdowns, a breached deadline in red, and the agents' presence, which the signed-in agent sets. The
 * campaigns panel shows the simulator's campaign with its progress and skip reasons and the recorded erasure, and the
 * customer card's erase button erases the look-alike.
 * Screenshots of the pages are kept in {@code target/test-artifacts/} for a human to look at.
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} ({@code apt-get install chromium
 * chromium-driver}). Without them the test is skipped with a message, except on CI ({@code CI=true}) where it fails.
 * The driver path is set explicitly, so Selenium never tries to download a browser or driver.
 */
@Tag("slow")
class ConsoleBrowserTest {

    private static final Path ARTIFACTS = HeadlessChromium.ARTIFACTS;

    @TempDir
    static Path dataDir;
    @TempDir
    static Path browserProfile;

    static DemoContactCenter demo;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.requireInstalled("ConsoleBrowserTest");
        demo = DemoContactCenter.start(DemoConfig.builder().host("127.0.0.1").port(0).dataDir(dataDir)
                .scenario(DemoConfig.ScenarioMode.ALWAYS).timings(DemoEndToEndTest.SHORT).build());
        demo.simulator().orElseThrow().awaitFinished(Duration.ofMinutes(3));

        browser = HeadlessChromium.start(browserProfile, 1440, 900);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void theAgentRepliesInTheConsoleAndTheCustomerSeesItInTheShopWidget() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        // The console re-renders its list and thread as the event feed moves on: an element found a moment ago may be
        // replaced by its fresh copy, so conditions are re-evaluated rather than failed on a stale element.
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        browser.get(demo.consoleUrl());

        // The console asks for a login first: nothing of the inbox is readable before it.
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-secret")));
        assertThat(browser.findElements(By.cssSelector("li.conv"))).isEmpty();
        WebElement agentField = browser.findElement(By.id("login-agent"));
        agentField.clear();
        agentField.sendKeys("maria");
        browser.findElement(By.id("login-secret")).sendKeys(demo.adminSecret());
        browser.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("agent-name"), "maria"));
        assertThat(browser.manage().getCookieNamed("sb_agent").isHttpOnly()).isTrue();

        // The list shows Анна once, with all three channels she used.
        By annasRow = By.xpath("//li[contains(@class,'conv')][.//span[@class='conv-name' and text()='Анна Петрова']]");
        wait.until(ExpectedConditions.visibilityOfElementLocated(annasRow));
        assertThat(browser.findElements(annasRow)).hasSize(1);
        // The list is re-rendered every poll tick: read the row's channel icons and click it in one script, which runs
        // between two renders (the page's JavaScript is single-threaded).
        @SuppressWarnings("unchecked")
        List<String> icons = (List<String>) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "const row = [...document.querySelectorAll('li.conv')].find(li => "
                        + "li.querySelector('.conv-name').textContent === 'Анна Петрова');"
                        + "const classes = [...row.querySelectorAll('.conv-channels .ch')].map(e => e.className);"
                        + "row.click(); return classes;");
        assertThat(String.join(" ", icons)).contains("ch-telegram", "ch-email", "ch-webchat");
        // Her VK message is a row of its own (typed phone: a suggestion, not a merge), shown with the VK badge.
        wait.until(d -> !d.findElements(By.cssSelector("li.conv .conv-channels .ch-vk")).isEmpty());

        // One timeline across channels, and the customer card with her three linked accounts.
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "Курьер сможет позвонить"));
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("Где мой заказ 1042",
                "Пишу ещё раз по заказу 1042");
        wait.until(d -> d.findElements(By.cssSelector("#accounts .acct")).size() == 3);
        assertThat(browser.findElement(By.id("customer")).getText()).doesNotContain("[object");

        // Reply through the website chat.
        String reply = "Анна, курьер позвонит за час до приезда. Заказ 1042 будет у вас сегодня до 21:00.";
        browser.findElement(By.cssSelector(".via[data-channel='webchat']")).click();
        browser.findElement(By.id("reply-text")).sendKeys(reply);
        browser.findElement(By.id("reply-send")).click();
        wait.until(d -> d.findElements(By.cssSelector(".msg.out[data-channel='webchat'] .bubble")).stream()
                .anyMatch(b -> b.getText().contains(reply)));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "Website chat"));
        screenshot("console.png");

        // Анна, signed in on the shop, opens the chat widget and reads the answer.
        browser.get(demo.shopUrl());
        WebElement launcher = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".sbc-launch")));
        launcher.click();
        wait.until(d -> d.findElements(By.cssSelector(".sbc-agent .sbc-b")).stream()
                .anyMatch(b -> b.getText().contains(reply)));
        assertThat(browser.findElement(By.cssSelector(".sbc-list")).getText())
                .contains("Курьер сможет позвонить");
        screenshot("shop.png");

        // Анна sends a photo and a document from the widget; the console shows a thumbnail and a file chip, both
        // through the API's safe media route (logged-in cookie, type from the bytes).
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(60, 40,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        Path png = browserProfile.resolve("receipt.png");
        javax.imageio.ImageIO.write(img, "png", png.toFile());
        Path pdf = browserProfile.resolve("invoice-1042.pdf");
        Files.write(pdf, "%PDF-1.4\n% a tiny document\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        browser.findElement(By.cssSelector(".sbc-input")).sendKeys("Вот чек");
        browser.findElement(By.cssSelector("#sbc input[type=file]")).sendKeys(png.toString());
        wait.until(d -> !d.findElements(By.cssSelector(".sbc-msg[data-from=visitor][data-seq] img")).isEmpty());
        browser.findElement(By.cssSelector("#sbc input[type=file]")).sendKeys(pdf.toString());
        wait.until(d -> d.findElements(By.cssSelector(".sbc-msg[data-from=visitor][data-seq]")).stream()
                .anyMatch(e -> e.getText().contains("invoice-1042.pdf")));

        browser.get(demo.consoleUrl());
        wait.until(ExpectedConditions.visibilityOfElementLocated(annasRow));
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "[...document.querySelectorAll('li.conv')].find(li => "
                        + "li.querySelector('.conv-name').textContent === 'Анна Петрова').click();");
        wait.until(d -> Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                "const i = document.querySelector('#timeline img.thumb');"
                        + " return !!i && i.complete && i.naturalWidth === 60;")));
        WebElement chip = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#timeline a.file-chip")));
        assertThat(chip.getText()).contains("invoice-1042.pdf", "B");
        assertThat(chip.getAttribute("href")).contains("/api/v1/messages/").contains("/media/");
        assertThat(browser.findElement(By.id("customer")).getText()).doesNotContain("[object");
        screenshot("console-media.png");
    }

    @Test
    void theOperationsPanelShowsTheQueueWithCountdownsBreachesInRedAndTheAgentsPresence() throws Exception {
        try {
            operationsPanel();
        } finally {
            // the other test starts from the login form
            browser.manage().deleteAllCookies();
        }
    }

    private void operationsPanel() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        browser.get(demo.consoleUrl() + "#ops");
        loginIfAsked(wait);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("ops")));

        // The simulator's day left Елена's email waiting in the email team's queue (its only online member went
        // offline), counting down to its first-response deadline.
        By elenasRow = By.xpath("//tr[contains(@class,'queue-row')][.//span[@class='q-name' and text()='Елена Соколова']]");
        wait.until(ExpectedConditions.visibilityOfElementLocated(elenasRow));
        WebElement countdown = browser.findElement(elenasRow).findElement(By.cssSelector(".countdown"));
        assertThat(countdown.getText()).matches("first reply (in|overdue) [0-9:]+");
        String before = countdown.getText();
        wait.until(d -> !d.findElement(elenasRow).findElement(By.cssSelector(".countdown")).getText().equals(before));
        assertThat(browser.findElement(elenasRow).getText()).contains("email");

        // Сергей's VK message breached the demo-fast policy: listed as breached, in red, counting overdue time.
        wait.until(d -> !d.findElements(By.cssSelector("#breached-rows li.sla-row .countdown.sla-breached")).isEmpty());
        WebElement breached = browser.findElement(By.cssSelector("#breached-rows li.sla-row"));
        assertThat(breached.getAttribute("data-sla")).isEqualTo("breached");
        assertThat(breached.findElement(By.cssSelector(".countdown")).getText()).contains("overdue");
        assertThat(breached.findElement(By.cssSelector(".countdown")).getCssValue("background-color"))
                .isEqualTo("rgba(194, 65, 59, 1)");
        // the inbox list marks the breached conversation too
        wait.until(d -> !d.findElements(By.cssSelector("li.conv .countdown.sla-breached")).isEmpty());

        // Agents with presence and load; the signed-in agent goes online and routing gives her waiting work.
        wait.until(d -> d.findElements(By.cssSelector("#agent-rows li[data-agent='olga'][data-presence='online']"))
                .size() == 1);
        assertThat(browser.findElements(By.cssSelector("#agent-rows li[data-agent='dmitri'][data-presence='offline']")))
                .hasSize(1);
        screenshot("console-ops.png");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("my-presence"))).selectByValue("online");
        wait.until(d -> d.findElements(By.cssSelector("#agent-rows li[data-agent='maria'][data-presence='online']"))
                .size() == 1);
        wait.until(d -> !d.findElement(By.cssSelector("#agent-rows li[data-agent='maria'] .agent-load")).getText()
                .startsWith("0/"));
        screenshot("console-ops-online.png");
    }

    @Test
    void theCampaignsPanelShowsProgressSkipReasonsAndErasuresAndTheCustomerCardErases() throws Exception {
        try {
            campaignsPanel();
        } finally {
            browser.manage().deleteAllCookies();
        }
    }

    private void campaignsPanel() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        browser.get(demo.consoleUrl() + "?panel=campaigns#campaigns"); // a new page, not only a new fragment
        loginIfAsked(wait);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("campaigns")));

        // The simulator's campaign: completed, two sent (Анна and Борис consented), four skipped without consent. The
        // panel re-renders every few seconds: each read is retried on a fresh element (the wait ignores stale ones).
        By campaign = By.cssSelector("#campaign-rows li.cmp-row[data-id='spring-news-1'][data-state='completed']");
        wait.until(ExpectedConditions.visibilityOfElementLocated(campaign));
        String summary = wait.until(d -> d.findElement(campaign).getText());
        assertThat(summary).contains("marketing", "skipped 4", "no consent 4");
        assertThat(summary).containsAnyOf("sent 2", "delivered");
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript("document.querySelector(\"#campaign-rows li.cmp-row[data-id='spring-news-1']\").click();");
        wait.until(d -> d.findElements(By.cssSelector("#recipient-rows tr.recipient-row")).size() == 6);
        wait.until(d -> {
            List<WebElement> skipped = d.findElements(By.cssSelector(
                    "#recipient-rows tr.recipient-row[data-status='skipped']"));
            return skipped.size() == 4 && skipped.stream().allMatch(r -> r.getText().contains("no consent"));
        });
        wait.until(d -> d.findElement(By.id("recipient-rows")).getText().contains("Анна Петрова")
                && d.findElement(By.id("recipient-rows")).getText().contains("Борис Смирнов"));

        // Виктор's erasure is recorded, by the agent who did it.
        wait.until(d -> d.findElements(By.cssSelector("#erasure-rows li.erasure-row")).size() == 1);
        wait.until(d -> d.findElement(By.cssSelector("#erasure-rows li.erasure-row")).getText().contains("by olga")
                && d.findElement(By.cssSelector("#erasure-rows li.erasure-row")).getText().contains("complete"));
        screenshot("console-campaigns.png");

        // The look-alike's card: no consent, an export link, and an erase button that erases her. The card is
        // re-rendered as the feed moves: it is read and clicked in scripts, which run between two renders.
        By lookalike = By.xpath("//li[contains(@class,'conv')][.//span[@class='conv-name' and text()='Anna Petrova']]");
        wait.until(ExpectedConditions.visibilityOfElementLocated(lookalike));
        js.executeScript("[...document.querySelectorAll('li.conv')].find(li => "
                + "li.querySelector('.conv-name').textContent === 'Anna Petrova').click();");
        @SuppressWarnings("unchecked")
        List<String> card = (List<String>) wait.until(d -> js.executeScript(
                "const m = document.querySelector(\"#consents .consent-row[data-purpose='marketing']\");"
                        + " const e = document.getElementById('export-customer');"
                        + " const name = document.querySelector('#customer h2');"
                        + " return m && e && name && name.textContent === 'Anna Petrova'"
                        + " ? [m.textContent, e.getAttribute('href'), name.textContent] : null;"));
        assertThat(card.get(0)).contains("no consent");
        assertThat(card.get(1)).contains("/export");
        assertThat(card.get(2)).isEqualTo("Anna Petrova");
        // erase her, unless the card has moved on to someone else meanwhile (then the script clicks nothing)
        assertThat(js.executeScript("window.confirm = () => true;"
                + " if (document.querySelector('#customer h2').textContent !== 'Anna Petrova') return false;"
                + " document.getElementById('erase-customer').click(); return true;")).isEqualTo(true);
        wait.until(d -> d.findElements(lookalike).isEmpty());
        wait.until(d -> d.findElements(By.cssSelector("#erasure-rows li.erasure-row")).size() == 2);
        wait.until(d -> d.findElement(By.id("erasure-rows")).getText().contains("by maria"));
        screenshot("console-erased.png");
    }

    private static void loginIfAsked(WebDriverWait wait) {
        wait.until(d -> !d.findElement(By.id("login")).isDisplayed() || d.findElement(By.id("login-secret")).isDisplayed());
        if (!browser.findElement(By.id("login")).isDisplayed()) {
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("agent-name"), "maria"));
            return;
        }
        WebElement agentField = browser.findElement(By.id("login-agent"));
        agentField.clear();
        agentField.sendKeys("maria");
        browser.findElement(By.id("login-secret")).sendKeys(demo.adminSecret());
        browser.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("agent-name"), "maria"));
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), ARTIFACTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
