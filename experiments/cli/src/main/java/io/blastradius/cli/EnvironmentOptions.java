package io.blastradius.cli;

import io.blastradius.environment.EnvironmentProvider;
import io.blastradius.environment.EnvironmentRequest;
import io.blastradius.environment.Environments;
import io.blastradius.experiment.Experiment;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Where experiments run, as {@code run} and {@code sweep} both take it: {@code --env} and the options of
 * each environment, checked and turned into the provider and its parameters before anything starts.
 */
final class EnvironmentOptions {

    @Option(names = "--env", defaultValue = "local", paramLabel = "NAME", completionCandidates = EnvironmentNames.class,
            description = "Where to run: one of the environments on the classpath (${COMPLETION-CANDIDATES}). "
                    + "local (default): start a replica here, shared by the experiments that need the same one; "
                    + "attach: use a running one (--replica); testcontainers: containers; kubernetes: the replica of k8s/ in a"
                    + " namespace (--namespace, --deploy).")
    String env;

    @Option(names = "--replica", paramLabel = "replica.json", description = "With --env attach: the running replica's replica.json.")
    Path replicaJson;

    @Option(names = "--namespace", paramLabel = "NS", description = "With --env kubernetes: the namespace the replica runs in (default blast-radius).")
    String namespace;

    @Option(names = "--deploy", description = "With --env kubernetes: apply k8s/overlays/<profile> (with the experiment's properties) into the"
            + " namespace and delete it at the end, rather than attach to the replica already there.")
    boolean deploy;

    /** The environment's parameters from its options. */
    Map<String, String> parameters() {
        Map<String, String> parameters = new HashMap<>();
        if (replicaJson != null) {
            parameters.put("replica", replicaJson.toAbsolutePath().toString());
        }
        if (namespace != null) {
            parameters.put("namespace", namespace);
        }
        if (deploy) {
            parameters.put("deploy", "true");
        }
        return parameters;
    }

    /**
     * The provider named by {@code --env}, its options checked against it: an IllegalArgumentException saying
     * what is wrong (an option of another environment, a missing file, an unknown name) and what to do.
     */
    EnvironmentProvider provider(Path home, Path runDir) {
        if ((namespace != null || deploy) && !env.equals("kubernetes")) {
            throw new IllegalArgumentException("--namespace and --deploy are for --env kubernetes, not --env " + env);
        }
        if (replicaJson != null && !env.equals("attach")) {
            throw new IllegalArgumentException("--replica is for --env attach, not --env " + env);
        }
        EnvironmentProvider provider = Environments.named(env);
        provider.validate(new EnvironmentRequest(home, runDir, Experiment.ReplicaSpec.DEFAULT, 0, parameters()));
        return provider;
    }

    /** The names of the environments on the classpath, for {@code --help}. */
    static final class EnvironmentNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Environments.all().stream().map(EnvironmentProvider::name).iterator();
        }
    }
}
