package io.blastradius.console;

import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.Phase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment's plan as the page shows it: its phases in order with their start and length (seconds from
 * the start of the load), each fault with the second it is applied and removed, the hypotheses and the
 * routes' rates, and the file itself for everything else.
 */
final class Plans {

    /** A file larger than this is not shown (the loader has read it already; the page needs no more). */
    private static final long MAX_SOURCE_BYTES = 64 * 1024;

    private Plans() {
    }

    static Map<String, Object> of(Experiment experiment) {
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("name", experiment.metadata().name());
        plan.put("title", experiment.metadata().title());
        plan.put("profile", experiment.replica().profile());
        List<Map<String, Object>> phases = new ArrayList<>();
        long offset = 0;
        long faultStart = 0;
        long faultEnd = 0;
        for (Phase phase : Phase.values()) {
            long length = experiment.phases().getOrDefault(phase, Duration.ZERO).toSeconds();
            if (phase == Phase.FAULT) {
                faultStart = offset;
                faultEnd = offset + length;
            }
            if (length > 0) {
                phases.add(Map.of("phase", phase.wireName(), "from", offset, "to", offset + length));
            }
            offset += length;
        }
        plan.put("phases", phases);
        plan.put("seconds", offset);
        List<Map<String, Object>> faults = new ArrayList<>();
        for (Experiment.FaultSpec fault : experiment.faults()) {
            long from = faultStart + (fault.at() == null ? 0 : fault.at().toSeconds());
            long to = fault.duration() == null ? faultEnd : Math.min(faultEnd, from + fault.duration().toSeconds());
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("type", fault.type());
            one.put("target", fault.target());
            one.put("parameters", fault.parameters());
            one.put("from", from);
            one.put("to", to);
            faults.add(one);
        }
        plan.put("faults", faults);
        List<Map<String, Object>> hypotheses = new ArrayList<>();
        for (Experiment.Hypothesis h : experiment.hypotheses()) {
            hypotheses.add(Map.of("name", h.name(), "route", h.route().wireName(), "during", h.during().stream().map(Phase::wireName).toList()));
        }
        plan.put("hypotheses", hypotheses);
        Map<String, Object> traffic = new LinkedHashMap<>();
        experiment.traffic().forEach(t -> {
            Map<String, Double> rates = new LinkedHashMap<>();
            t.ratePerSecond().forEach((phase, rate) -> rates.put(phase.wireName(), rate));
            traffic.put(t.route().wireName(), rates);
        });
        plan.put("traffic", traffic);
        plan.put("source", source(experiment));
        return plan;
    }

    private static String source(Experiment experiment) {
        try {
            if (experiment.source() == null || !Files.isRegularFile(experiment.source()) || Files.size(experiment.source()) > MAX_SOURCE_BYTES) {
                return "";
            }
            return Files.readString(experiment.source(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
