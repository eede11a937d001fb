package io.blastradius.faultproxy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Bandwidth;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.LimitData;
import eu.rekawek.toxiproxy.model.toxic.ResetPeer;
import eu.rekawek.toxiproxy.model.toxic.Slicer;
import eu.rekawek.toxiproxy.model.toxic.SlowClose;
import eu.rekawek.toxiproxy.model.toxic.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every endpoint of the API, driven by the official toxiproxy-java client where it can, raw HTTP elsewhere. */
class ToxiproxyApiTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    FaultProxy server;
    ToxiproxyClient client;
    ServerSocket upstream;

    @BeforeEach
    void start() {
        server = FaultProxy.start(FaultProxyOptions.ofDefaults());
        client = new ToxiproxyClient("127.0.0.1", server.apiPort());
        upstream = TestServers.echo();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        upstream.close();
    }

    record Reply(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    Reply call(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.apiUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body());
    }

    void assertError(Reply reply, int status, String message) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.json().path("error").asString()).isEqualTo(message);
        assertThat(reply.json().path("status").asInt()).isEqualTo(status);
    }

    @Test
    void versionAnswersLikeToxiproxy() throws Exception {
        assertThat(client.version()).isEqualTo("{\"version\": \"2.12.0\"}");
    }

    @Test
    void proxiesAreCreatedListedSortedFetchedUpdatedAndDeleted() throws Exception {
        Proxy b = client.createProxy("b-proxy", "127.0.0.1:0", TestServers.address(upstream));
        Proxy a = client.createProxy("a-proxy", "127.0.0.1:0", TestServers.address(upstream));

        assertThat(a.getListen()).matches("127\\.0\\.0\\.1:\\d+").isNotEqualTo("127.0.0.1:0");
        assertThat(a.isEnabled()).isTrue();
        assertThat(client.getProxies()).extracting(Proxy::getName).containsExactly("a-proxy", "b-proxy");
        assertThat(client.getProxy("b-proxy").getUpstream()).isEqualTo(TestServers.address(upstream));
        assertThat(client.getProxyOrNull("missing")).isNull();

        b.disable();
        assertThat(client.getProxy("b-proxy").isEnabled()).isFalse();
        b.enable();
        assertThat(client.getProxy("b-proxy").isEnabled()).isTrue();
        b.setUpstream("127.0.0.1:1");
        assertThat(client.getProxy("b-proxy").getUpstream()).isEqualTo("127.0.0.1:1");
        b.setListen("127.0.0.1:0");
        assertThat(client.getProxy("b-proxy").getListen()).isNotEqualTo("127.0.0.1:0");

        b.delete();
        assertThat(client.getProxies()).extracting(Proxy::getName).containsExactly("a-proxy");
        assertThatThrownBy(() -> client.getProxy("b-proxy")).isInstanceOf(IOException.class).hasMessage("[404] proxy not found");
        assertThatThrownBy(() -> client.createProxy("a-proxy", "127.0.0.1:0", "127.0.0.1:1"))
                .isInstanceOf(IOException.class).hasMessage("[409] proxy already exists");
    }

    @Test
    void everyToxicIsCreatedReadUpdatedAndRemovedThroughTheClient() throws Exception {
        Proxy proxy = client.createProxy("web", "127.0.0.1:0", TestServers.address(upstream));
        Latency latency = proxy.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 100);
        Bandwidth bandwidth = proxy.toxics().bandwidth("bw", ToxicDirection.UPSTREAM, 500);
        Slicer slicer = proxy.toxics().slicer("sl", ToxicDirection.DOWNSTREAM, 100, 10);
        SlowClose slowClose = proxy.toxics().slowClose("sc", ToxicDirection.DOWNSTREAM, 50);
        Timeout timeout = proxy.toxics().timeout("to", ToxicDirection.UPSTREAM, 1000);
        LimitData limit = proxy.toxics().limitData("ld", ToxicDirection.DOWNSTREAM, 5000);
        ResetPeer reset = proxy.toxics().resetPeer("rp", ToxicDirection.UPSTREAM, 10);

        assertThat(proxy.toxics().getAll()).extracting(t -> t.getName())
                .containsExactly("bw", "to", "rp", "lat", "sl", "sc", "ld");

        latency.setJitter(25);
        Latency read = proxy.toxics().get("lat", Latency.class);
        assertThat(read.getLatency()).as("a partial update keeps the other attributes").isEqualTo(100);
        assertThat(read.getJitter()).isEqualTo(25);
        latency.setToxicity(0.5f);
        assertThat(proxy.toxics().get("lat").getToxicity()).isEqualTo(0.5f);
        bandwidth.setRate(42);
        assertThat(proxy.toxics().get("bw", Bandwidth.class).getRate()).isEqualTo(42);
        slicer.setSizeVariation(5);
        slicer.setDelay(7);
        assertThat(proxy.toxics().get("sl", Slicer.class).getAverageSize()).isEqualTo(100);
        assertThat(proxy.toxics().get("sl", Slicer.class).getSizeVariation()).isEqualTo(5);
        slowClose.setDelay(60);
        timeout.setTimeout(2000);
        limit.setBytes(6000);
        reset.setTimeout(20);
        assertThat(proxy.toxics().get("ld", LimitData.class).getBytes()).isEqualTo(6000);
        assertThat(proxy.toxics().get("rp", ResetPeer.class).getTimeout()).isEqualTo(20);
        assertThat(proxy.toxics().get("to", Timeout.class).getTimeout()).isEqualTo(2000);
        assertThat(proxy.toxics().get("sc", SlowClose.class).getDelay()).isEqualTo(60);

        assertThatThrownBy(() -> proxy.toxics().latency("lat", ToxicDirection.UPSTREAM, 1))
                .isInstanceOf(IOException.class).hasMessage("[409] toxic already exists");
        latency.remove();
        assertThatThrownBy(() -> proxy.toxics().get("lat")).isInstanceOf(IOException.class).hasMessage("[404] toxic not found");

        client.reset();
        assertThat(proxy.toxics().getAll()).isEmpty();
    }

    @Test
    void toxicsCarryEveryAttributeAndTheReferenceDefaults() throws Exception {
        call("POST", "/proxies", "{\"name\":\"p\",\"upstream\":\"" + TestServers.address(upstream) + "\"}");
        Reply created = call("POST", "/proxies/p/toxics", "{\"type\":\"slicer\",\"stream\":\"UPSTREAM\",\"attributes\":{\"average_size\":10}}");

        assertThat(created.status()).isEqualTo(200);
        assertThat(created.body()).isEqualTo("{\"attributes\":{\"average_size\":10,\"size_variation\":0,\"delay\":0},"
                + "\"name\":\"slicer_UPSTREAM\",\"type\":\"slicer\",\"stream\":\"UPSTREAM\",\"toxicity\":1}");
        Reply noop = call("POST", "/proxies/p/toxics", "{\"type\":\"noop\"}");
        assertThat(noop.body()).isEqualTo("{\"attributes\":{},\"name\":\"noop_downstream\",\"type\":\"noop\",\"stream\":\"downstream\",\"toxicity\":1}");
        Reply proxy = call("GET", "/proxies/p", null);
        assertThat(proxy.json().path("toxics").size()).isEqualTo(2);
        assertThat(proxy.json().path("listen").asString()).startsWith("127.0.0.1:").isNotEqualTo("127.0.0.1:0");
        assertThat(call("POST", "/proxies/p/toxics/noop_downstream", "{\"toxicity\":0.25}").body()).as("toxicity as Toxiproxy writes its float32")
                .endsWith("\"toxicity\":0.25}");
        assertThat(call("PATCH", "/proxies/p/toxics/slicer_UPSTREAM", "{\"attributes\":{\"delay\":3}}").json()
                .path("attributes").path("average_size").asInt()).isEqualTo(10);
        assertThat(call("DELETE", "/proxies/p/toxics/noop_downstream", null).status()).isEqualTo(204);
        assertThat(call("PATCH", "/proxies/p", "{\"enabled\":false}").json().path("enabled").asBoolean()).isFalse();
        assertThat(call("POST", "/reset", "").status()).isEqualTo(204);
        assertThat(call("GET", "/proxies/p", null).json().path("enabled").asBoolean()).isTrue();
        assertThat(call("DELETE", "/proxies/p", null).status()).isEqualTo(204);
    }

    @Test
    void badInputGetsTheDocumentedStatusAndMessage() throws Exception {
        call("POST", "/proxies", "{\"name\":\"p\",\"upstream\":\"" + TestServers.address(upstream) + "\"}");

        assertError(call("POST", "/proxies", ""), 400, "bad request body: EOF");
        assertThat(call("POST", "/proxies", "{\"name\":").json().path("error").asString()).startsWith("bad request body: ");
        assertError(call("POST", "/proxies", "{\"upstream\":\"x:1\"}"), 400, "missing required field: name");
        assertError(call("POST", "/proxies", "{\"name\":\"q\"}"), 400, "missing required field: upstream");
        assertError(call("POST", "/proxies", "{\"name\":\"q\",\"upstream\":\"x:1\",\"enabled\":\"yes\"}"), 400,
                "bad request body: enabled must be true or false");
        assertError(call("POST", "/proxies/p/toxics", "{\"type\":\"packet_storm\"}"), 400, "invalid toxic type");
        assertError(call("POST", "/proxies/p/toxics", "{\"attributes\":{}}"), 400, "invalid toxic type");
        assertError(call("POST", "/proxies/p/toxics", "{\"type\":\"latency\",\"stream\":\"sideways\"}"), 400,
                "stream was invalid, can be either upstream or downstream");
        assertError(call("POST", "/proxies/p/toxics", "{\"type\":\"latency\",\"attributes\":{\"latency\":\"slow\"}}"), 400,
                "bad request body: attributes.latency of a latency toxic must be an integer, but was \"slow\"");
        assertError(call("POST", "/proxies/p/toxics", "{\"type\":\"bandwidth\",\"attributes\":{\"rate\":-5}}"), 400,
                "invalid bandwidth attribute: rate must be >= 0 (KB/s; 0 stalls the stream), but was -5");
        assertError(call("POST", "/proxies/p/toxics", "{\"type\":\"slicer\",\"attributes\":{\"average_size\":0}}"), 400,
                "invalid slicer attribute: average_size must be >= 1 (bytes), but was 0");
        assertError(call("POST", "/proxies/p/toxics", "{\"type\":\"latency\",\"attributes\":{\"latency\":-100}}"), 400,
                "invalid latency attribute: latency must be >= 0 (milliseconds), but was -100");
        assertError(call("POST", "/proxies/p/toxics", "{\"type\":\"latency\",\"toxicity\":2.5}"), 400,
                "invalid toxicity: must be from 0 to 1, but was 2.5");
        assertError(call("POST", "/proxies/p/toxics", "{\"type\":\"limit_data\",\"attributes\":{\"bytes\":-1}}"), 400,
                "invalid limit_data attribute: bytes must be >= 0, but was -1");
        assertThat(call("GET", "/proxies/p/toxics", null).json().size()).as("nothing half-applied").isZero();
        call("POST", "/proxies/p/toxics", "{\"type\":\"timeout\",\"attributes\":{\"timeout\":5}}");
        assertError(call("PATCH", "/proxies/p/toxics/timeout_downstream", "{\"attributes\":{\"timeout\":-1}}"), 400,
                "invalid timeout attribute: timeout must be >= 0 (milliseconds; 0 holds for ever), but was -1");
        assertThat(call("GET", "/proxies/p/toxics/timeout_downstream", null).json().path("attributes").path("timeout").asInt())
                .as("a refused update changes nothing").isEqualTo(5);

        assertError(call("GET", "/proxies/missing", null), 404, "proxy not found");
        assertError(call("POST", "/proxies/missing/toxics", "{\"type\":\"latency\"}"), 404, "proxy not found");
        assertError(call("GET", "/proxies/p/toxics/missing", null), 404, "toxic not found");
        assertError(call("DELETE", "/proxies/p/toxics/missing", null), 404, "toxic not found");
        assertError(call("GET", "/nothing", null), 404, "404 page not found");
        assertError(call("GET", "/proxies/", null), 404, "404 page not found");
        assertError(call("PUT", "/proxies", "{}"), 405, "method not allowed");
        assertError(call("DELETE", "/version", null), 405, "method not allowed");
        assertError(call("POST", "/proxies", "{\"name\":\"bad\",\"listen\":\"127.0.0.1:abc\",\"upstream\":\"x:1\"}"), 500,
                "address tcp/abc: unknown port (listen)");
        assertError(call("GET", "/proxies", null, "User-Agent", "Mozilla/5.0"), 403, "User agent not allowed");
    }

    @Test
    void populateCreatesKeepsAndReplacesProxiesWithTheirToxics() throws Exception {
        String target = TestServers.address(upstream);
        Reply first = call("POST", "/populate", "[{\"name\":\"one\",\"upstream\":\"" + target + "\",\"toxics\":"
                + "[{\"type\":\"latency\",\"attributes\":{\"latency\":5}}]},{\"name\":\"two\",\"upstream\":\"" + target + "\"}]");
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().path("proxies").size()).isEqualTo(2);
        assertThat(first.json().path("proxies").get(0).path("toxics").get(0).path("name").asString()).isEqualTo("latency_downstream");
        String listen = first.json().path("proxies").get(0).path("listen").asString();

        Reply same = call("POST", "/populate", "[{\"name\":\"one\",\"listen\":\"" + listen + "\",\"upstream\":\"" + target + "\"}]");
        assertThat(same.json().path("proxies").get(0).path("toxics").size()).as("unchanged addresses keep toxics").isEqualTo(1);

        assertThat(call("POST", "/populate", "[]").body()).isEqualTo("{\"proxies\":null}");
        Reply invalid = call("POST", "/populate", "[{\"name\":\"three\",\"upstream\":\"" + target + "\"},{\"name\":\"four\"}]");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().path("error").asString()).isEqualTo("missing required field: upstream at proxy 2");
        assertThat(invalid.json().path("proxies").isNull()).isTrue();
        Reply badToxic = call("POST", "/populate", "[{\"name\":\"five\",\"upstream\":\"" + target + "\",\"toxics\":[{\"type\":\"nope\"}]}]");
        assertThat(badToxic.status()).isEqualTo(400);
        assertThat(client.getProxies()).extracting(Proxy::getName).as("a refused populate creates nothing").containsExactly("one", "two");
        String twoUnnamedLatencies = "[{\"type\":\"latency\"},{\"type\":\"latency\"}]";
        Reply repeated = call("POST", "/populate", "[{\"name\":\"six\",\"upstream\":\"" + target + "\"},{\"name\":\"seven\",\"upstream\":\""
                + target + "\",\"toxics\":" + twoUnnamedLatencies + "}]");
        assertError(repeated, 409, "toxic already exists");
        assertThat(client.getProxies()).extracting(Proxy::getName).as("nor does one with a toxic named twice").containsExactly("one", "two");
    }

    @Test
    void aProxyRefusedForAToxicNamedTwiceLeavesNoListenerBehind() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Reply refused = call("POST", "/proxies", "{\"name\":\"dup\",\"listen\":\"127.0.0.1:" + port + "\",\"upstream\":\""
                + TestServers.address(upstream) + "\",\"toxics\":[{\"type\":\"latency\"},{\"type\":\"latency\"}]}");
        assertError(refused, 409, "toxic already exists");
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).as("the port is free again").isEqualTo(port);
        }
    }

    @Test
    void metricsAreServedAsPrometheusText() throws Exception {
        client.createProxy("m", "127.0.0.1:0", TestServers.address(upstream)).toxics().latency("slow", ToxicDirection.DOWNSTREAM, 1);
        String metrics = call("GET", "/metrics", null).body();

        assertThat(metrics).contains("# TYPE toxiproxy_proxy_received_bytes_total counter")
                .contains("blastradius_proxy_connections_total{proxy=\"m\"")
                .contains("blastradius_toxic_chunks_delayed_total{proxy=\"m\",toxic=\"slow\"} 0");
    }

    @Test
    void aConfigFileCreatesProxiesAndToxicsAtStart() throws Exception {
        java.nio.file.Path config = java.nio.file.Files.createTempFile("fault-proxy", ".json");
        java.nio.file.Files.writeString(config, "[{\"name\":\"configured\",\"listen\":\"127.0.0.1:0\",\"upstream\":\""
                + TestServers.address(upstream) + "\",\"toxics\":[{\"type\":\"latency\",\"attributes\":{\"latency\":7}}]}]");
        try (FaultProxy configured = FaultProxy.start(new FaultProxyOptions("127.0.0.1", 0, config, 1, 1))) {
            ToxiproxyClient other = new ToxiproxyClient("127.0.0.1", configured.apiPort());
            List<Proxy> proxies = other.getProxies();
            assertThat(proxies).extracting(Proxy::getName).containsExactly("configured");
            assertThat(proxies.get(0).toxics().get("latency_downstream", Latency.class).getLatency()).isEqualTo(7);
        }
    }

    @Test
    void aBodyOrAConfigPastItsLimitIsRefusedBeforeItIsRead() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(FaultProxy.MAX_BODY_BYTES) + "\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"}";
        assertThat(call("POST", "/proxies", big).status()).isEqualTo(413);
        assertThat(client.getProxies()).as("nothing was created").isEmpty();

        java.nio.file.Path config = java.nio.file.Files.createTempFile("fault-proxy", ".json");
        java.nio.file.Files.writeString(config, "[" + " ".repeat((int) FaultProxy.MAX_CONFIG_BYTES) + "]");
        assertThatThrownBy(() -> FaultProxy.start(new FaultProxyOptions("127.0.0.1", 0, config, 1, 1)))
                .hasMessage("config " + config + " is 1,048,578 bytes; a config may be at most 1,048,576 bytes");
    }
}
