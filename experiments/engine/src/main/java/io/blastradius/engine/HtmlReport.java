package io.blastradius.engine;

import io.blastradius.experiment.Route;
import tools.jackson.databind.json.JsonMapper;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes a suite's {@code report.html}: one self-contained page for people (a postmortem, a CI artifact)
 * that opens offline. It owns the page's text (the suite's gates, and per experiment its verdict, faults,
 * checks and circuit-breaker changes) and fills the template {@code report.html} next to this class, whose
 * script draws the timelines with uPlot from each run's journal, both inlined into the page.
 */
public final class HtmlReport {

    /** The uPlot webjar's coordinates; its version is read from the jar itself, so the pom alone names it. */
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
    private static final String TEMPLATE = "io/blastradius/engine/report.html";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");
    private static final Pattern CLOSING_TAG = Pattern.compile("</(script|style)", Pattern.CASE_INSENSITIVE);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter START = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private HtmlReport() {
    }

    public static void write(List<RunResult> results, Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("report.html"), render(results), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineException("could not write the HTML report to " + directory + ": " + e.getMessage(), e);
        }
    }

    static String render(List<RunResult> results) throws IOException {
        List<String> anchors = anchors(results);
        long passed = results.stream().filter(RunResult::gatePassed).count();
        String totals = passed + " of " + results.size() + " experiment(s) passed their gate";
        Map<String, String> values = new HashMap<>();
        values.put("title", esc("Blast Radius: " + totals));
        values.put("totals", esc(totals + "."));
        values.put("started", results.stream().map(RunResult::startedAt).min(Instant::compareTo)
                .map(at -> "Suite started " + START.format(at) + ".").orElse("No experiments ran."));
        values.put("totalsClass", passed == results.size() ? "all-passed" : "some-failed");
        values.put("index", index(results, anchors));
        values.put("matrix", matrix(BlastRadiusMatrix.table(results), results.size() == 1
                ? "Blast radius: each route in each phase" : "Blast radius: each route in each experiment's fault phase"));
        values.put("sections", sections(results, anchors));
        values.put("data", data(results));
        values.put("uplotCss", inline(uplot("uPlot.min.css")));
        values.put("uplotJs", inline(uplot("uPlot.iife.min.js")));
        return fill(resource(TEMPLATE), values);
    }

    /** Replaces each {@code {{name}}} of the template in one pass, so that no inserted text is read as a placeholder. */
    static String fill(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("the report template names an unknown placeholder: " + m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Library text for a {@code <script>} or {@code <style>} element: a closing tag inside it would end the element early. */
    static String inline(String text) {
        return CLOSING_TAG.matcher(text).replaceAll("<\\\\/$1");
    }

    /** Every run's journal as JSON that cannot end its {@code <script>} element: each {@code <} written as {@code \u003c}. */
    static String data(List<RunResult> results) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("routes", Arrays.stream(Route.values()).map(Route::wireName).toList());
        data.put("runs", results.stream().map(Journal::of).toList());
        return JSON.writeValueAsString(data).replace("<", "\\u003c");
    }

    /** A file of uPlot's {@code dist} folder ({@code uPlot.iife.min.js}, {@code uPlot.min.css}) from its webjar, for every page that charts. */
    public static String uplot(String file) throws IOException {
        return resource("META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/" + file);
    }

    private static String uplotVersion() throws IOException {
        Properties pom = new Properties();
        pom.load(new StringReader(resource(UPLOT_POM)));
        return pom.getProperty("version");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new FileNotFoundException(name + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** One HTML id per run, from its experiment's name ({@code -2}, {@code -3}, ... when a suite runs one twice). */
    static List<String> anchors(List<RunResult> results) {
        Set<String> taken = new HashSet<>();
        List<String> anchors = new ArrayList<>();
        for (RunResult r : results) {
            String base = r.experiment().metadata().name().replaceAll("[^A-Za-z0-9_-]", "-");
            String anchor = base;
            for (int n = 2; !taken.add(anchor); n++) {
                anchor = base + "-" + n;
            }
            anchors.add(anchor);
        }
        return anchors;
    }

    private static String index(List<RunResult> results, List<String> anchors) {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < results.size(); i++) {
            RunResult r = results.get(i);
            rows.append("      <tr").append(r.gatePassed() ? "" : " class=\"failed\"").append(">")
                    .append("<td><a href=\"#").append(anchors.get(i)).append("\">").append(esc(name(r))).append("</a></td>")
                    .append(td(r.experiment().metadata().title()))
                    .append(td(expect(r)))
                    .append("<td>").append(verdictBadge(r)).append("</td>")
                    .append("<td>").append(gateBadge(r)).append("</td>")
                    .append("<td class=\"num\">").append(r.seed()).append("</td>")
                    .append("<td class=\"num\">").append(duration(r)).append("</td></tr>\n");
        }
        return rows.toString();
    }

    private static String sections(List<RunResult> results, List<String> anchors) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < results.size(); i++) {
            out.append(section(results.get(i), anchors.get(i), i));
        }
        return out.toString();
    }

    private static String section(RunResult r, String anchor, int index) {
        StringBuilder s = new StringBuilder();
        s.append("<section class=\"experiment ").append(r.gatePassed() ? "gate-passed-section" : "gate-failed-section")
                .append("\" id=\"").append(anchor).append("\">\n");
        s.append("<h2>").append(esc(r.experiment().metadata().title())).append(" <span class=\"name\">")
                .append(esc(name(r))).append("</span> ").append(gateBadge(r)).append("</h2>\n");
        s.append(meta(r));
        s.append(verdict(r));
        s.append("<h3>Faults</h3>\n").append(faults(r.faults()));
        s.append("<h3>Blast radius</h3>\n").append(matrix(BlastRadiusMatrix.table(r), "Each route in each phase"));
        s.append("<h3>Hypotheses</h3>\n").append(checks(r.checks(), "hypothesis", "pass", "FAIL", "no hypotheses"));
        s.append("<h3>Abort guards</h3>\n").append(checks(r.abortChecks(), "guard", "held", "FIRED", "no abort guards"));
        s.append("<h3>Timelines</h3>\n").append(timelines(r, index));
        s.append("<h3>Circuit breakers</h3>\n").append(breakers(r, index));
        return s.append("</section>\n").toString();
    }

    /** The blast-radius matrix: each cell its impact in words, the figures that decided it in its tooltip. */
    private static String matrix(BlastRadiusMatrix.Table table, String caption) {
        if (table.rows().isEmpty()) {
            return "<p class=\"empty\">no route had traffic</p>\n";
        }
        StringBuilder t = new StringBuilder("<table class=\"matrix\"><caption>").append(esc(caption)).append("</caption>\n<thead><tr><th>route</th>");
        table.columns().forEach(column -> t.append("<th>").append(esc(column)).append("</th>"));
        t.append("</tr></thead>\n<tbody>\n");
        table.rows().forEach((route, cells) -> {
            t.append("<tr><th>").append(esc(route.wireName())).append("</th>");
            cells.forEach(cell -> t.append("<td class=\"").append(cell.impact().css()).append("\" title=\"").append(esc(cell.why())).append("\">")
                    .append(esc(cell.impact().words())).append("</td>"));
            t.append("</tr>\n");
        });
        return t.append("</tbody></table>\n<p class=\"matrix-note\">Unaffected: at most 0.5 % failed and p99 within twice the baseline's"
                + " plus 100 ms. Degraded gracefully: more failed, but as fast 503/429. Failed hard: more than 0.5 % timeouts, resets,"
                + " other errors or users logged out, or p99 past that bound. Hover a cell for its figures.</p>\n").toString();
    }

    private static String meta(RunResult r) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("name", name(r));
        meta.put("file", r.experiment().source().toString());
        meta.put("profile", r.experiment().replica().profile());
        meta.put("environment", r.environment());
        meta.put("seed", Long.toString(r.seed()));
        meta.put("expect", expect(r));
        meta.put("started", START.format(r.startedAt()));
        meta.put("duration", duration(r));
        meta.put("load generator lag p99", String.format(Locale.ROOT, "%.1f ms", r.generatorLagP99Micros() / 1000.0));
        StringBuilder dl = new StringBuilder("<dl class=\"meta\">");
        meta.forEach((term, value) -> dl.append("<dt>").append(esc(term)).append("</dt><dd>").append(esc(value)).append("</dd>"));
        return dl.append("</dl>\n").toString();
    }

    private static String verdict(RunResult r) {
        StringBuilder v = new StringBuilder("<div class=\"verdict\">Verdict ").append(verdictBadge(r))
                .append(" (expected: ").append(esc(expect(r))).append(") → ").append(gateBadge(r));
        if (!r.reasons().isEmpty()) {
            v.append("\n<ul class=\"reasons\">");
            r.reasons().forEach(reason -> v.append("<li>").append(esc(reason)).append("</li>"));
            v.append("</ul>");
        }
        return v.append("</div>\n").toString();
    }

    private static String faults(List<RunResult.FaultEvent> faults) {
        if (faults.isEmpty()) {
            return "<p class=\"empty\">no faults</p>\n";
        }
        StringBuilder t = new StringBuilder("<table class=\"faults\"><thead><tr><th>type</th><th>target</th><th>parameters</th>"
                + "<th class=\"num\">applied at</th><th class=\"num\">removed at</th><th class=\"num\">connections affected</th>"
                + "<th>error</th></tr></thead><tbody>\n");
        for (RunResult.FaultEvent f : faults) {
            t.append("<tr").append(f.error() == null ? "" : " class=\"failed\"").append(">")
                    .append(td(f.type())).append(td(f.target())).append("<td><code>").append(esc(parameters(f.parameters())))
                    .append("</code></td>").append(num(seconds(f.appliedAt()))).append(num(seconds(f.removedAt())))
                    .append(num(f.connectionsAffected() == null ? "–" : f.connectionsAffected().toString()))
                    .append(td(f.error() == null ? "" : f.error())).append("</tr>\n");
        }
        return t.append("</tbody></table>\n").toString();
    }

    private static String checks(List<Check> checks, String kind, String pass, String fail, String none) {
        if (checks.isEmpty()) {
            return "<p class=\"empty\">" + none + "</p>\n";
        }
        StringBuilder t = new StringBuilder("<table class=\"checks\"><thead><tr><th>").append(kind)
                .append("</th><th>phase</th><th>metric</th><th>required</th><th>actual</th><th>result</th></tr></thead><tbody>\n");
        for (Check c : checks) {
            t.append("<tr").append(c.passed() ? "" : " class=\"failed\"").append(">")
                    .append(td(c.hypothesis())).append(td(c.phase())).append(td(c.metric())).append(td(c.required()))
                    .append(td(c.actual())).append("<td><span class=\"badge ").append(c.passed() ? "check-passed\">" + pass : "check-failed\">" + fail)
                    .append("</span></td></tr>\n");
        }
        return t.append("</tbody></table>\n").toString();
    }

    private static String timelines(RunResult r, int index) {
        if (r.series().values().stream().allMatch(s -> s.seconds().isEmpty())) {
            return "<p class=\"empty\">no measurements</p>\n";
        }
        return "<div class=\"key\"><span class=\"warmup\">warmup</span><span class=\"baseline\">baseline</span>"
                + "<span class=\"fault\">fault phase (planned)</span><span class=\"recovery\">recovery</span>"
                + "<span class=\"applied\">fault in place (applied → removed)</span></div>\n"
                + "<div class=\"charts\" data-run=\"" + index + "\"></div>\n";
    }

    private static String breakers(RunResult r, int index) {
        if (r.breakerChanges().isEmpty()) {
            return "<p class=\"empty\">no circuit-breaker states recorded</p>\n";
        }
        StringBuilder b = new StringBuilder();
        if (r.series().values().stream().anyMatch(s -> !s.seconds().isEmpty())) {
            b.append("<div class=\"key\"><span class=\"closed\">CLOSED</span><span class=\"half-open\">HALF_OPEN</span>")
                    .append("<span class=\"open\">OPEN</span><span class=\"other\">other</span></div>\n")
                    .append("<div class=\"breakers\" data-run=\"").append(index).append("\"></div>\n");
        }
        b.append("<ul class=\"changes\">");
        changes(r.breakerChanges()).forEach(line -> b.append("<li>").append(esc(line)).append("</li>"));
        return b.append("</ul>\n").toString();
    }

    /** The breakers' history in words: {@code "12 s auth-session CLOSED→OPEN"}. */
    static List<String> changes(List<RunResult.BreakerChange> changes) {
        Map<String, String> last = new HashMap<>();
        List<String> lines = new ArrayList<>();
        for (RunResult.BreakerChange c : changes) {
            String before = last.put(c.name(), c.state());
            String what = before != null ? before + "→" + c.state() : c.state() + (c.second() == 0 ? " (initial)" : " (first seen)");
            lines.add(c.second() + " s " + c.name() + " " + what);
        }
        return lines;
    }

    private static String parameters(Map<String, Object> parameters) {
        if (parameters == null || parameters.isEmpty()) {
            return "–";
        }
        return parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String seconds(Double at) {
        return at == null ? "–" : String.format(Locale.ROOT, "%.1f s", at);
    }

    private static String duration(RunResult r) {
        long s = Math.max(0, Duration.between(r.startedAt(), r.endedAt()).toSeconds());
        if (s < 60) {
            return s + " s";
        }
        return s < 3600 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
    }

    private static String name(RunResult r) {
        return r.experiment().metadata().name();
    }

    private static String expect(RunResult r) {
        return r.experiment().expect().name().toLowerCase(Locale.ROOT);
    }

    private static String verdictBadge(RunResult r) {
        return "<span class=\"badge verdict-" + r.verdict().name().toLowerCase(Locale.ROOT) + "\">" + r.verdict() + "</span>";
    }

    private static String gateBadge(RunResult r) {
        return r.gatePassed() ? "<span class=\"badge gate-passed\">✔ gate passed</span>" : "<span class=\"badge gate-failed\">✘ gate failed</span>";
    }

    private static String td(String text) {
        return "<td>" + esc(text) + "</td>";
    }

    private static String num(String text) {
        return "<td class=\"num\">" + esc(text) + "</td>";
    }

    /** Text safe in HTML and XML content and attribute values. */
    /** Text for HTML content and attribute values. */
    public static String esc(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
