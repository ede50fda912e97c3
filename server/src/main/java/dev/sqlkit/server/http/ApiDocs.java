package dev.sqlkit.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;

/**
 * The API page at {@code /docs}: Swagger UI reading {@code /openapi}, with every file served from
 * the jar (the page works offline, with no CDN). Our {@code docs/index.html} starts it; the rest is
 * the {@code org.webjars:swagger-ui} jar's dist folder, found through the webjar's own version so
 * that the version is written only in the pom.
 */
final class ApiDocs {

    private static final String WEBJAR = "META-INF/maven/org.webjars/swagger-ui/pom.properties";

    private ApiDocs() {
    }

    static void register(HttpRouting.Builder routing) {
        routing.register("/docs", StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                        .location("docs")
                        .welcome("index.html")
                        .build()))
                .register("/docs", StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                        .location("META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion())
                        .build()));
    }

    private static String swaggerUiVersion() {
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(WEBJAR)) {
            if (in == null) {
                throw new IllegalStateException("the swagger-ui webjar is missing from the class path (" + WEBJAR + ")");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
