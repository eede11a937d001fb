package io.blastradius.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The direction of the seam, on the compiled classes of every module (the Maven graph already forbids
 * most of it; this also catches what a new dependency would let through): the model depends on nothing
 * of ours, the SPI on the model, the engine on the SPI and never on an environment, an environment on
 * the SPI and never on the engine. (The JUnit integration is not on this classpath: it gets the local
 * environment at run time only, so it cannot compile against it.)
 */
class ModuleGraphTest {

    static JavaClasses classes;

    @BeforeAll
    static void load() {
        // the other modules' test-jars (test support such as ReplicaHttp) are tests too
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.blastradius");
    }

    @Test
    void theModelDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("io.blastradius.experiment..")
                .should().dependOnClassesThat().resideInAnyPackage("io.blastradius.environment..", "io.blastradius.engine..",
                        "io.blastradius.replica..", "io.blastradius.containers..", "io.blastradius.cli..", "io.blastradius.junit..", "io.blastradius.faultproxy..",
                        "io.blastradius.chaosmesh..", "io.blastradius.kubernetes..")
                .check(classes);
    }

    @Test
    void theEnvironmentSpiDependsOnTheModelOnly() {
        noClasses().that().resideInAPackage("io.blastradius.environment..")
                .should().dependOnClassesThat().resideInAnyPackage("io.blastradius.engine..", "io.blastradius.replica..",
                        "io.blastradius.containers..", "io.blastradius.kubernetes..", "io.blastradius.cli..", "io.blastradius.junit..",
                        "io.blastradius.faultproxy..")
                .check(classes);
    }

    @Test
    void theEngineImportsNoEnvironment() {
        noClasses().that().resideInAPackage("io.blastradius.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("io.blastradius.replica..", "io.blastradius.containers..", "io.blastradius.kubernetes..",
                        "io.blastradius.cli..", "io.blastradius.junit..", "io.blastradius.faultproxy..")
                .check(classes);
    }

    @Test
    void theConsoleImportsNoEnvironmentAndNotTheCli() {
        noClasses().that().resideInAPackage("io.blastradius.console..")
                .should().dependOnClassesThat().resideInAnyPackage("io.blastradius.replica..", "io.blastradius.containers..",
                        "io.blastradius.kubernetes..", "io.blastradius.cli..", "io.blastradius.junit..", "io.blastradius.faultproxy..")
                .check(classes);
    }

    @Test
    void theChaosMeshExportDependsOnTheModelOnly() {
        noClasses().that().resideInAPackage("io.blastradius.chaosmesh..")
                .should().dependOnClassesThat().resideInAnyPackage("io.blastradius.environment..", "io.blastradius.engine..",
                        "io.blastradius.replica..", "io.blastradius.containers..", "io.blastradius.cli..", "io.blastradius.junit..", "io.blastradius.faultproxy..")
                .check(classes);
    }

    @Test
    void anEnvironmentDoesNotReachIntoTheEngine() {
        noClasses().that().resideInAnyPackage("io.blastradius.replica..", "io.blastradius.containers..", "io.blastradius.kubernetes..")
                .should().dependOnClassesThat().resideInAnyPackage("io.blastradius.engine..", "io.blastradius.cli..",
                        "io.blastradius.junit..")
                .check(classes);
    }

    @Test
    void theEnvironmentsDoNotKnowEachOther() {
        noClasses().that().resideInAPackage("io.blastradius.containers..")
                .should().dependOnClassesThat().resideInAnyPackage("io.blastradius.replica..", "io.blastradius.faultproxy..")
                .check(classes);
        noClasses().that().resideInAPackage("io.blastradius.replica..")
                .should().dependOnClassesThat().resideInAnyPackage("io.blastradius.containers..", "io.blastradius.kubernetes..")
                .check(classes);
        noClasses().that().resideInAPackage("io.blastradius.kubernetes..")
                .should().dependOnClassesThat().resideInAnyPackage("io.blastradius.replica..", "io.blastradius.containers..", "io.blastradius.faultproxy..")
                .check(classes);
    }
}
