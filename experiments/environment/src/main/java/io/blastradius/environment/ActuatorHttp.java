package io.blastradius.environment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls to a service's management port with its bearer token, for {@link ActuatorAppChaos} and {@link ActuatorBreakers}. */
final class ActuatorHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ActuatorHttp() {
    }

    /** The body of a 2xx answer; an {@link EnvironmentException} naming the endpoint for anything else. */
    static String call(URI managementUrl, String token, String path, String postBody, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(managementUrl.resolve(path))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token);
        if (postBody != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(postBody));
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new EnvironmentException(what + " at " + managementUrl.resolve(path) + " answered " + response.statusCode()
                        + (response.statusCode() == 401 ? " (a wrong management token?)" : "") + ": " + abbreviate(response.body()));
            }
            return response.body();
        } catch (IOException e) {
            throw new EnvironmentException(what + " at " + managementUrl.resolve(path) + " is unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted while calling " + what + " at " + managementUrl.resolve(path), e);
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "…";
    }
}
