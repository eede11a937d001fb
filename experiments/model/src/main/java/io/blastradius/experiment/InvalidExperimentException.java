package io.blastradius.experiment;

import java.util.List;
import java.util.stream.Collectors;

/** An experiment file that cannot run; every problem names its place in the file. */
public class InvalidExperimentException extends RuntimeException {

    /** One defect: {@code file:line:col: message}, then the offending line and a caret. */
    public record Problem(String file, int line, int column, String message, String snippet) {
        public String render() {
            StringBuilder out = new StringBuilder(file + ":" + line + ":" + column + ": " + message);
            if (snippet != null && !snippet.isEmpty()) {
                out.append(System.lineSeparator()).append("    ").append(snippet)
                        .append(System.lineSeparator()).append("    ").append(" ".repeat(Math.max(0, column - 1))).append('^');
            }
            return out.toString();
        }
    }

    private final List<Problem> problems;

    public InvalidExperimentException(List<Problem> problems) {
        super(problems.stream().map(Problem::render).collect(Collectors.joining(System.lineSeparator())));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
