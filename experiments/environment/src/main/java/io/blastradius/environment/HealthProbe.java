package io.blastradius.environment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a service's actuator whether it is UP (health is the one management endpoint without the token). */
public final class HealthProbe {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofMillis(500))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private HealthProbe() {
    }

    public static boolean isUp(URI managementUrl) {
        String body = get(managementUrl.resolve("/actuator/health"));
        return body != null && body.contains("\"UP\"");
    }

    /** Whether a GET of the URL answers 200 (e.g. a fault proxy's {@code /version}). */
    public static boolean answers(URI url) {
        return get(url) != null;
    }

    /** The body of a 200 answer to a GET, or null for any other answer or none within a second. */
    private static String get(URI url) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(1)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
