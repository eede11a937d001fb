package io.blastradius.engine;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code junit.xml} through StAX, which escapes what it writes: one {@code <testsuite>} per experiment
 * (one test case per check, per abort guard, and one for the verdict), alone or under
 * {@code <testsuites>} for a suite.
 */
final class JunitXml {

    private JunitXml() {
    }

    /** One experiment's file. */
    static void write(RunResult result, Path file) throws IOException {
        write(file, w -> suite(w, result, ""));
    }

    /** A suite's file: every experiment's {@code <testsuite>} under one {@code <testsuites>}. */
    static void write(List<RunResult> results, Path file) throws IOException {
        write(file, w -> {
            w.writeStartElement("testsuites");
            w.writeAttribute("name", "blastradius");
            for (RunResult result : results) {
                w.writeCharacters("\n  ");
                suite(w, result, "  ");
            }
            w.writeCharacters("\n");
            w.writeEndElement();
        });
    }

    private interface Body {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    private static void write(Path file, Body body) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            body.write(w);
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void suite(XMLStreamWriter w, RunResult r, String indent) throws XMLStreamException {
        List<Check> all = new ArrayList<>(r.checks());
        all.addAll(r.abortChecks());
        long failures = all.stream().filter(c -> !c.passed()).count() + (r.gatePassed() ? 0 : 1);
        String name = r.experiment().metadata().name();
        w.writeStartElement("testsuite");
        w.writeAttribute("name", name);
        w.writeAttribute("tests", Integer.toString(all.size() + 1));
        w.writeAttribute("failures", Long.toString(failures));
        w.writeAttribute("errors", "0");
        w.writeAttribute("timestamp", r.startedAt().toString());
        w.writeCharacters("\n" + indent + "  ");
        w.writeStartElement("properties");
        property(w, indent, "seed", Long.toString(r.seed()));
        property(w, indent, "verdict", r.verdict().name());
        property(w, indent, "expect", r.experiment().expect().name().toLowerCase(Locale.ROOT));
        w.writeCharacters("\n" + indent + "  ");
        w.writeEndElement();
        for (Check c : all) {
            testCase(w, indent, name, c.hypothesis() + " [" + c.phase() + "] " + c.metric(), c.passed() ? null : c.sentence());
        }
        testCase(w, indent, name, "verdict", r.gatePassed() ? null : r.verdict() + ": " + String.join("; ", r.reasons()));
        w.writeCharacters("\n" + indent);
        w.writeEndElement();
    }

    private static void property(XMLStreamWriter w, String indent, String name, String value) throws XMLStreamException {
        w.writeCharacters("\n" + indent + "    ");
        w.writeEmptyElement("property");
        w.writeAttribute("name", name);
        w.writeAttribute("value", value);
    }

    /** A test case; {@code failure} null when it passed. */
    private static void testCase(XMLStreamWriter w, String indent, String suite, String name, String failure) throws XMLStreamException {
        w.writeCharacters("\n" + indent + "  ");
        w.writeStartElement("testcase");
        w.writeAttribute("classname", suite);
        w.writeAttribute("name", name);
        if (failure != null) {
            w.writeCharacters("\n" + indent + "    ");
            w.writeStartElement("failure");
            w.writeAttribute("message", failure);
            w.writeCharacters(failure);
            w.writeEndElement();
            w.writeCharacters("\n" + indent + "  ");
        }
        w.writeEndElement();
    }
}
