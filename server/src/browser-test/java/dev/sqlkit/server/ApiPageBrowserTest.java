package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.dal.testing.TestDatabase;

/**
 * The API page (/docs) in a real headless Chromium (Debian's, driven by its chromedriver) against
 * the real server on a socket, with a write token set: the page lists the posts operations, "Try it
 * out" on GET /posts/{id} shows the seeded post, and a token entered under "Authorize" lets a write
 * through. Everything the page loads comes from the server itself. A screenshot of the answered
 * operation is kept in target/browser/.
 */
@ExtendWith(DatabaseExtension.class)
class ApiPageBrowserTest {

    private static final String TOKEN = "browser-" + "test-token-3f9d21c0";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of("target", "browser");

    @TempDir
    Path profile;

    private RunningServer http;
    private WebDriver browser;
    private String base;

    @BeforeEach
    void start(TestDatabase database) {
        http = RunningServer.on(database, Map.of("auth.token", TOKEN));
        base = "http://127.0.0.1:" + http.server().port();
        ChromeOptions options = new ChromeOptions()
                .setBinary(System.getProperty("sqlkit.chromium", "/usr/bin/chromium"))
                // Headless and quiet: this machine's network is closed, so no sync, updates or other calls home.
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-quic", "--no-first-run", "--window-size=1280,1600",
                        "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("sqlkit.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(driver, options);
    }

    @AfterEach
    void stop() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            http.close();
        }
    }

    @Test
    void thePageTriesGetPostAndAuthorizesAWrite() throws IOException {
        long id = RunningServer.read(http.request(Method.POST, "/posts")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + TOKEN)
                .contentType(MediaTypes.APPLICATION_JSON)
                .submit("{\"title\":\"Seen in a browser\",\"body\":\"seeded by ApiPageBrowserTest\"}")).id();

        browser.get(base + "/docs");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        WebElement getPost = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("operations-posts-getPost")));
        for (String operation : List.of("listPosts", "createPost", "getPost", "updatePost", "deletePost", "publishPost")) {
            assertEquals(1, browser.findElements(By.id("operations-posts-" + operation)).size(), operation + " on the page");
        }

        // GET /posts/{id}: expand, "Try it out", the seeded id, "Execute"; the answer shows in the page.
        WebElement get = tryOut(wait, getPost, id);
        WebElement status = wait.until(driver -> get.findElement(By.cssSelector(".live-responses-table .response .response-col_status")));
        assertEquals("200", status.getText().strip());
        String body = get.findElement(By.cssSelector(".live-responses-table .response-col_description pre")).getText();
        assertTrue(body.contains("\"id\": " + id) && body.contains("\"title\": \"Seen in a browser\""), body);
        scrollTo(get);
        keep(screenshot(), "api-page-get-post.png");

        // A write needs the token: entered under "Authorize", it is sent with "Try it out".
        browser.findElement(By.cssSelector(".scheme-container .btn.authorize")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".dialog-ux .modal-ux")));
        dialog.findElement(By.cssSelector("input")).sendKeys(TOKEN);
        dialog.findElement(By.cssSelector(".auth-btn-wrapper .btn.authorize")).click();
        wait.until(driver -> !dialog.findElements(By.cssSelector(".auth-btn-wrapper .btn.btn-done")).isEmpty());
        dialog.findElement(By.cssSelector(".auth-btn-wrapper .btn.btn-done")).click();

        WebElement publish = tryOut(wait, browser.findElement(By.id("operations-posts-publishPost")), id);
        assertEquals("", publish.findElement(By.cssSelector("tr[data-param-name='Idempotency-Key'] input")).getAttribute("value"),
                "no Idempotency-Key filled in for the user: one key for every write tried would make the second a 422");
        WebElement published = wait.until(driver -> publish.findElement(By.cssSelector(".live-responses-table .response .response-col_status")));
        assertEquals("200", published.getText().strip(), publish.getText());
        assertTrue(publish.findElement(By.cssSelector(".request-url, .curl-command")).getText().length() > 0);
        assertTrue(http.get("/posts/" + id).json().getBoolean("published"), "the write from the page was applied");
        scrollTo(publish);
        keep(screenshot(), "api-page-publish-authorized.png");

        // Offline: every file the page loaded came from this server (no CDN, no validator).
        @SuppressWarnings("unchecked")
        List<String> loaded = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name)");
        assertTrue(loaded.stream().anyMatch(url -> url.startsWith(base + "/openapi")), loaded.toString());
        assertEquals(List.of(), loaded.stream().filter(url -> !url.startsWith(base + "/")).toList(), "loaded from elsewhere");
    }

    /** Expands an operation, presses "Try it out", fills in {@code id} and presses "Execute". */
    private WebElement tryOut(WebDriverWait wait, WebElement operation, long id) {
        scrollTo(operation);
        operation.findElement(By.cssSelector(".opblock-summary")).click();
        wait.until(driver -> !operation.findElements(By.cssSelector(".try-out__btn")).isEmpty());
        operation.findElement(By.cssSelector(".try-out__btn")).click();
        WebElement input = wait.until(driver -> operation.findElement(By.cssSelector("tr[data-param-name='id'] input")));
        input.clear();
        input.sendKeys(String.valueOf(id));
        operation.findElement(By.cssSelector(".btn.execute")).click();
        return operation;
    }

    private void scrollTo(WebElement element) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'start'})", element);
    }

    private File screenshot() {
        return ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    }

    private static void keep(File screenshot, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.copy(screenshot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
