package io.blastradius.environment;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The toxic calls of the Toxiproxy API that its Java client cannot make: listing every toxic, those of the
 * fault proxy's types beyond Toxiproxy's included ({@code ?all=true}, which a real Toxiproxy ignores), adding one of
 * those ({@code http}), and removing a toxic by name without reading it first (the client's {@code getAll()} and
 * {@code get(name)} fail on a type they do not know).
 */
final class ToxicsApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ToxicsApi() {
    }

    /** The names of every toxic on {@code proxy}. */
    static List<String> names(URI api, String proxy) throws IOException {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(toxics(api, proxy, "?all=true")).GET(), "listing the toxics of " + proxy);
        List<String> names = new ArrayList<>();
        JSON.readTree(answer.body()).forEach(toxic -> names.add(toxic.path("name").asString()));
        return names;
    }

    /** Adds a toxic given as Toxiproxy's JSON ({@code {"name","type","stream","attributes"}}); its message if refused. */
    static void add(URI api, String proxy, String toxicJson) throws IOException {
        send(HttpRequest.newBuilder(toxics(api, proxy, "")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(toxicJson)), "adding a toxic to " + proxy);
    }

    /** Removes a toxic; false if there was none of that name. */
    static boolean remove(URI api, String proxy, String toxic) throws IOException {
        URI uri = toxics(api, proxy, "/" + URLEncoder.encode(toxic, StandardCharsets.UTF_8).replace("+", "%20"));
        HttpResponse<String> answer = exchange(HttpRequest.newBuilder(uri).DELETE());
        if (answer.statusCode() == 404) {
            return false;
        }
        check(answer, "removing toxic " + toxic + " from " + proxy);
        return true;
    }

    private static URI toxics(URI api, String proxy, String rest) {
        return api.resolve("/proxies/" + URLEncoder.encode(proxy, StandardCharsets.UTF_8).replace("+", "%20") + "/toxics" + rest);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String doing) throws IOException {
        HttpResponse<String> answer = exchange(request);
        check(answer, doing);
        return answer;
    }

    private static HttpResponse<String> exchange(HttpRequest.Builder request) throws IOException {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void check(HttpResponse<String> answer, String doing) throws IOException {
        if (answer.statusCode() / 100 != 2) {
            String message;
            try {
                JsonNode error = JSON.readTree(answer.body());
                message = error.path("error").asString(answer.body());
            } catch (RuntimeException e) {
                message = answer.body();
            }
            throw new IOException(doing + " answered " + answer.statusCode() + ": " + message);
        }
    }
}
