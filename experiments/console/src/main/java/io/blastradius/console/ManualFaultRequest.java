package io.blastradius.console;

import io.blastradius.engine.ManualFaults;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.ExperimentLoader;
import io.blastradius.experiment.InvalidExperimentException;
import io.blastradius.experiment.Quantities;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * A fault asked for by hand on the page, {@code {"fault": {<as in an experiment's faults:>}, "for": "30s"}},
 * checked by the experiment loader itself (so a bad type, target or attribute is refused in the words a YAML
 * file would get) and with a time limit it must have.
 */
record ManualFaultRequest(Experiment.FaultSpec fault, Duration limit) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The request, or an IllegalArgumentException saying what is wrong with it and what is allowed. */
    static ManualFaultRequest parse(JsonNode body) {
        JsonNode fault = body.path("fault");
        if (!fault.isObject()) {
            throw new IllegalArgumentException("expected {\"fault\": {\"target\": ..., \"<type>\": {...}}, \"for\": \"30s\"}");
        }
        JsonNode limit = body.path("for");
        if (!limit.isString() || limit.asString().isBlank()) {
            throw new IllegalArgumentException("a manual fault needs 'for': how long until it is undone by itself (e.g. 30s, at most "
                    + ManualFaults.MAX_LIMIT.toMinutes() + "m)");
        }
        Duration duration;
        try {
            duration = Quantities.duration(limit.asString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'for' " + e.getMessage());
        }
        if (duration.isZero() || duration.compareTo(ManualFaults.MAX_LIMIT) > 0) {
            throw new IllegalArgumentException("'for' must be more than 0 and at most " + ManualFaults.MAX_LIMIT.toMinutes() + "m, but was " + limit.asString());
        }
        // JSON is YAML: the fault goes through the loader as one of an experiment's faults
        String document = "apiVersion: blastradius/v1\nkind: Experiment\nmetadata: {name: manual, title: A fault by hand}\n"
                + "traffic: [{route: api, rate: 1/s}]\nphases: {baseline: 1s, fault: 1s, recovery: 1s}\n"
                + "hypotheses: [{name: none, route: api, during: [fault], success-rate: \">= 0%\"}]\n"
                + "faults: [" + JSON.writeValueAsString(fault) + "]\n";
        try {
            Experiment experiment = new ExperimentLoader().load(Path.of("manual-fault"), document);
            Experiment.FaultSpec spec = experiment.faults().get(0);
            if ((spec.at() != null && !spec.at().isZero()) || spec.duration() != null) {
                throw new IllegalArgumentException("a manual fault starts now and lasts 'for': leave out 'at' and its own 'for'");
            }
            return new ManualFaultRequest(spec, duration);
        } catch (InvalidExperimentException e) {
            throw new IllegalArgumentException(e.problems().stream().map(InvalidExperimentException.Problem::message)
                    .collect(Collectors.joining("; ")));
        }
    }
}
