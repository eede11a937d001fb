package io.blastradius.environment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
                throw refused(managementUrl.resolve(path), what, response);
            }
            return response.body();
        } catch (IOException e) {
            throw new EnvironmentException(what + " at " + managementUrl.resolve(path) + " is unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted while calling " + what + " at " + managementUrl.resolve(path), e);
        }
    }

    /**
     * POSTs to an endpoint whose answer may come only when the work it starts is done: an answer within {@code wait}
     * must be a 2xx (an {@link EnvironmentException} naming the endpoint otherwise); no answer by then means the work
     * is under way, and the request is left to finish (or to fail) on its own.
     */
    static void start(URI managementUrl, String token, String path, String what, Duration wait) {
        HttpRequest request = HttpRequest.newBuilder(managementUrl.resolve(path))
                .timeout(Duration.ofHours(2))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        CompletableFuture<HttpResponse<String>> answer = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> response;
        try {
            response = answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return;
        } catch (ExecutionException e) {
            throw new EnvironmentException(what + " at " + managementUrl.resolve(path) + " is unreachable: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted while calling " + what + " at " + managementUrl.resolve(path), e);
        }
        if (response.statusCode() / 100 != 2) {
            throw refused(managementUrl.resolve(path), what, response);
        }
    }

    private static EnvironmentException refused(URI endpoint, String what, HttpResponse<String> response) {
        return new EnvironmentException(what + " at " + endpoint + " answered " + response.statusCode()
                + (response.statusCode() == 401 ? " (a wrong management token?)" : "") + ": " + abbreviate(response.body()));
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "…";
    }
}
