package io.blastradius.cli;

import io.blastradius.chaosmesh.ChaosMeshExport;
import io.blastradius.chaosmesh.WorkflowFile;
import io.blastradius.environment.Endpoints;
import io.blastradius.experiment.Experiment;
import io.blastradius.experiment.ExperimentLoader;
import io.blastradius.experiment.InvalidExperimentException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** {@code blastradius export --to chaos-mesh EXPERIMENT…}: experiments as resources another tool runs. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write experiments as Chaos Mesh Workflows for the replica of k8s/ (one file each with --out, else all to standard output),",
                "saying what each cannot carry (the load, percentiles, pause, ...: those run only with blastradius run)."})
final class ExportCommand implements Callable<Integer> {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    @Spec
    CommandSpec spec;

    @Option(names = "--to", required = true, paramLabel = "FORMAT", description = "What to write: chaos-mesh (the only one).")
    String to;

    @Option(names = "--namespace", defaultValue = "blast-radius", paramLabel = "NS", description = "The namespace the replica runs in (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--out", paramLabel = "DIR", description = "Write <experiment>.workflow.yaml files into this folder instead of standard output.")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Experiment files, or folders of *.yaml files.")
    List<Path> paths;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (!"chaos-mesh".equals(to)) {
                err.println("blastradius export: --to " + to + " is not a format this version writes; it writes: chaos-mesh");
                return BlastRadius.INVALID_INPUT;
            }
            if (!DNS_LABEL.matcher(namespace).matches()) {
                err.println("blastradius export: --namespace '" + namespace + "' is not a Kubernetes namespace name (lower-case letters, digits and dashes, at most 63)");
                return BlastRadius.INVALID_INPUT;
            }
            List<Experiment> experiments;
            try {
                experiments = new ExperimentLoader().loadAll(paths);
            } catch (InvalidExperimentException e) {
                err.println(e.getMessage());
                return BlastRadius.INVALID_INPUT;
            } catch (IOException e) {
                err.println("blastradius export: " + e.getMessage());
                return BlastRadius.INVALID_INPUT;
            }
            Map<String, Path> byName = new HashMap<>();
            for (Experiment experiment : experiments) {
                Path other = byName.putIfAbsent(experiment.metadata().name(), experiment.source());
                if (other != null) {
                    err.println("blastradius export: " + other + " and " + experiment.source() + " are both named '" + experiment.metadata().name()
                            + "', and a Workflow is named after its experiment: rename one (metadata.name)");
                    return BlastRadius.INVALID_INPUT;
                }
            }
            Endpoints.Credentials demo = Endpoints.Credentials.DEMO;
            ChaosMeshExport export = new ChaosMeshExport(namespace, demo.apiKey(), demo.username(), demo.password());
            // every file made and checked before any is written: nothing half-exported
            List<ChaosMeshExport.Export> exports = new ArrayList<>();
            for (Experiment experiment : experiments) {
                ChaosMeshExport.Export one = export.of(experiment);
                List<String> problems = WorkflowFile.problems(one.workflow());
                if (!problems.isEmpty()) {
                    err.println("blastradius export: the Workflow made of " + experiment.source() + " fails the Chaos Mesh schema (a defect of ours): " + problems);
                    return BlastRadius.FAILED;
                }
                exports.add(one);
            }
            if (out != null) {
                Files.createDirectories(out);
            }
            for (ChaosMeshExport.Export one : exports) {
                String yaml = WorkflowFile.yaml(one);
                if (out == null) {
                    stdout.print("---\n" + yaml);
                } else {
                    Path file = out.resolve(one.name() + ".workflow.yaml");
                    Files.writeString(file, yaml);
                    stdout.println("wrote " + file + " (" + one.notCarried().size() + " thing(s) not carried, listed at its top)");
                }
            }
            return BlastRadius.OK;
        } catch (IOException e) {
            err.println("blastradius export: could not write: " + e.getMessage());
            return BlastRadius.FAILED;
        } finally {
            stdout.flush();
            err.flush();
        }
    }
}
