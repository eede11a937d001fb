package io.blastradius.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What runs on containers left behind when they were killed (SIGKILL: no shutdown hook ran). Ryuk,
 * Testcontainers' own reaper, is an image that cannot be pulled everywhere and is switched off; instead
 * every container and network carries its owner ({@code host:pid}) and is removed once that process is gone.
 */
final class StaleRuns {

    private StaleRuns() {
    }

    /** This process, as the owner label names it. */
    static String owner() {
        return host() + ":" + ProcessHandle.current().pid();
    }

    /** Removes the containers and networks of runs on this host whose owner is dead; says what it removed. */
    static List<String> remove(DockerClient docker) {
        List<String> removed = new ArrayList<>();
        Set<String> runs = new TreeSet<>();
        List<Container> containers = new ArrayList<>(docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(ContainerRun.RUN)).exec());
        // the sandboxes last: the services use their networks
        containers.sort(Comparator.comparing(c -> c.getLabels().containsKey(ContainerRun.NETWORK_OF)));
        for (Container container : containers) {
            if (stale(container.getLabels())) {
                runs.add(container.getLabels().get(ContainerRun.RUN));
                try {
                    if ("paused".equals(container.getState())) {
                        docker.unpauseContainerCmd(container.getId()).exec();
                    }
                    docker.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
                } catch (RuntimeException e) {
                    removed.add("could not remove container " + container.getId().substring(0, 12) + ": " + Images.firstLine(e.getMessage()));
                }
            }
        }
        for (Network network : docker.listNetworksCmd().exec()) {
            if (network.getLabels() != null && network.getLabels().containsKey(ContainerRun.RUN) && stale(network.getLabels())) {
                runs.add(network.getLabels().get(ContainerRun.RUN));
                try {
                    docker.removeNetworkCmd(network.getId()).exec();
                } catch (RuntimeException e) {
                    removed.add("could not remove network " + network.getName() + ": " + Images.firstLine(e.getMessage()));
                }
            }
        }
        runs.forEach(run -> removed.add(0, "run " + run + ": removed the containers its killed launcher left"));
        return removed;
    }

    /** Owned by a process of this host that is no longer alive. */
    private static boolean stale(Map<String, String> labels) {
        String owner = labels.getOrDefault(ContainerRun.OWNER, "");
        int colon = owner.lastIndexOf(':');
        if (colon < 0 || !owner.substring(0, colon).equals(host())) {
            return false;
        }
        try {
            long pid = Long.parseLong(owner.substring(colon + 1));
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
