package dev.switchboard.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium for the demo's browser tests: a test class is skipped when it is not installed, except on
 * CI, where a missing browser is an error (a skipped browser test there would pass without checking anything).
 */
final class HeadlessChromium {
    /** Where the browser tests leave their screenshots. */
    static final Path ARTIFACTS = Path.of("target", "test-artifacts");

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** Aborts the calling test class when Chromium or ChromeDriver is missing; on CI throws instead. */
    static void requireInstalled(String testName) {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String why = "headless Chromium is not installed (" + CHROMIUM + ", " + CHROMEDRIVER
                + "): apt-get install -y chromium chromium-driver";
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(why);
        }
        System.err.println("SKIPPED " + testName + ": " + why);
        Assumptions.abort(why);
    }

    /**
     * Starts a browser with a window of {@code width} x {@code height}, its profile in {@code profile}, and without
     * the background connections this machine's closed network refuses; creates {@link #ARTIFACTS}.
     */
    static WebDriver start(Path profile, int width, int height) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        Files.createDirectories(ARTIFACTS);
        return browser;
    }
}
